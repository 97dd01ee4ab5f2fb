//! spectest
