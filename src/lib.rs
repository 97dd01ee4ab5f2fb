//! Kiln placeholder
