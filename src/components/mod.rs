//! The page's components, one file each.

pub mod header;
pub mod protocol_picker;
pub mod protocol_view;
