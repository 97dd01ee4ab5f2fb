//! Kiln's artifact loader.
//!
//! Memory-maps a cache blob or relocatable object written by `kiln-compiler`, verifies its
//! header and checksums before anything else is trusted, links it against the builtins of
//! `kiln-runtime-support`, maps code executable with W^X and yields a module that
//! instantiates exactly like an interpreted one (DESIGN.md, principles 2 and 3). It lands with
//! the AOT-compiler issue; until then this crate is empty.
