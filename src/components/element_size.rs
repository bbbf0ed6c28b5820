//! The size an element is laid out at, kept current by a `ResizeObserver`,
//! for drawings that draw in the page's own pixels.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ResizeObserver, ResizeObserverEntry};
use yew::prelude::*;

/// The width and height of `node`'s content box in CSS pixels, rounded to
/// whole pixels (so sub-pixel jitter does not redraw); `None` until measured.
#[hook]
pub fn use_element_size(node: &NodeRef) -> Option<(f64, f64)> {
    let size = use_state_eq(|| None::<(f64, f64)>);
    {
        let node = node.clone();
        let size = size.clone();
        use_effect_with((), move |_| {
            let observed = node.cast::<web_sys::Element>().and_then(|element| {
                let on_resize =
                    Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                        let Some(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>().ok()
                        else {
                            return;
                        };
                        let rect = entry.content_rect();
                        size.set(Some((rect.width().round(), rect.height().round())));
                    });
                let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&element);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _on_resize)) = observed {
                    observer.disconnect();
                }
            }
        });
    }
    *size
}
