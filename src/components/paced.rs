//! A value drawn at the panels' pace (`session::pace`): made again only when
//! its key (the revision a lane shows, and whatever else it depends on)
//! changes, and kept from the render that made it until then.

use yew::prelude::*;

/// `make()`, or what it made when `key` was last the same.
#[hook]
pub fn use_paced<K, T, F>(key: K, make: F) -> T
where
    K: PartialEq + 'static,
    T: Clone + 'static,
    F: FnOnce() -> T,
{
    let kept = use_mut_ref(|| None::<(K, T)>);
    let mut kept = kept.borrow_mut();
    match &*kept {
        Some((at, value)) if *at == key => value.clone(),
        _ => {
            let value = make();
            *kept = Some((key, value.clone()));
            value
        }
    }
}
