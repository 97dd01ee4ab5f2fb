//! Exception handling through the API: tags ([`Tag`]) and wasm exceptions ([`Exception`]).
//!
//! An exception that no wasm frame catches reaches the host as [`Error::Exception`],
//! distinct from a trap, with its tag, payload and the frames it unwound through. A host
//! function throws a wasm exception by returning `Err(Error::Exception(..))` made with
//! [`Exception::new`]: wasm handlers catch it like one thrown by `throw` (the same role as
//! wasmtime's `ExnRef` thrown with `Store::throw`, without a separate heap object: the
//! payload is plain [`Val`]s, and the runtime allocates the exception when it enters
//! wasm).

use crate::error::Error;
use crate::runtime::Runtime;
use crate::val::Val;
use kiln_runtime_support::Unwind;
use kiln_runtime_support::error::ThrownException;
use kiln_runtime_support::trap::FrameInfo;
use kiln_runtime_support::types::FuncType;
use kiln_runtime_support::vm::{Store, VMTag, ValRaw, type_registry};
use std::fmt;
use std::sync::Arc;

/// An exception tag (spec 3.0 section 4.2.9, "Tag Instances"): what `throw` names and
/// `catch` matches. Tags are compared by identity: an imported tag is the exporter's tag,
/// and two tags of the same type are different tags. Made by a module (`(tag ..)`, see
/// [`crate::Instance::exported_tag`]) or by the host ([`Tag::new`], exported with
/// [`crate::HostModuleBuilder::tag`]). Lives as long as its [`Runtime`].
#[derive(Clone)]
pub struct Tag {
    pub(crate) store: Arc<Store>,
    pub(crate) tag: *const VMTag,
}

impl Tag {
    /// A new tag of `runtime` whose exceptions carry values of `ty`'s parameter types.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when `ty` has results (a tag type has none).
    pub fn new(runtime: &Runtime, ty: FuncType) -> Result<Tag, Error> {
        if !ty.results().is_empty() {
            return Err(Error::TypeMismatch(format!("a tag type has no results, given {ty}")));
        }
        let store = runtime.store().arc();
        let tag = {
            let _guard = store.lock();
            store.new_tag(type_registry::intern(&ty))
        };
        Ok(Tag { store, tag })
    }

    /// The tag's type: its parameters are the payload's types; it has no results.
    pub fn ty(&self) -> FuncType {
        // SAFETY: the tag is owned by the store this handle keeps alive.
        type_registry::lookup(unsafe { (*self.tag).type_id }).unwrap_or_default()
    }

    /// A name for messages: `module.name` of an export (or else an import) of the tag, if
    /// a module of the runtime exports or imports it.
    pub fn name(&self) -> Option<String> {
        let _guard = self.store.lock();
        self.store.tag_name(self.tag)
    }
}

// SAFETY: the tag record is owned by the store `store` keeps alive, never moves, and is
// only read (its type id is immutable; names are looked up under the store lock).
unsafe impl Send for Tag {}
// SAFETY: as above.
unsafe impl Sync for Tag {}

impl PartialEq for Tag {
    /// Tag identity (the spec's tag address).
    fn eq(&self, other: &Tag) -> bool {
        std::ptr::eq(self.tag, other.tag)
    }
}

impl Eq for Tag {}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({:?}: {})", self.name(), self.ty())
    }
}

/// An `exnref` (a caught exception held by wasm) seen from the host, e.g. a function's
/// `exnref` result. Refers to the exception in its runtime, which keeps it while it lives.
#[derive(Clone)]
pub struct ExnRef {
    pub(crate) store: Arc<Store>,
    pub(crate) raw: u64,
}

impl ExnRef {
    /// A handle of the exception behind raw reference `raw` of `store`; `None` for null or
    /// an unknown handle. The store then keeps the exception (a reference is out).
    pub(crate) fn from_raw(store: &Arc<Store>, raw: u64) -> Option<ExnRef> {
        let mut exns = store.exceptions.borrow_mut();
        exns.get(raw)?;
        exns.expose(raw);
        Some(ExnRef { store: store.clone(), raw })
    }

    /// The exception: its tag and payload (no backtrace).
    pub fn exception(&self) -> Exception {
        let _guard = self.store.lock();
        let exns = self.store.exceptions.borrow();
        let obj = exns.get(self.raw).expect("an exnref handle keeps its exception");
        let tag = Tag { store: self.store.clone(), tag: obj.tag };
        let ty = tag.ty();
        let payload = ty
            .params()
            .iter()
            .zip(obj.payload.iter())
            .map(|(ty, v)| Val::from_raw(&self.store, *v, *ty))
            .collect();
        Exception { tag, payload, backtrace: Vec::new() }
    }

    /// Whether two handles refer to the same exception.
    pub fn ptr_eq(&self, other: &ExnRef) -> bool {
        Arc::ptr_eq(&self.store, &other.store) && self.raw == other.raw
    }
}

impl fmt::Debug for ExnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExnRef({})", self.raw)
    }
}

/// A wasm exception: a tag and the payload values its type describes.
#[derive(Clone, Debug)]
pub struct Exception {
    tag: Tag,
    payload: Vec<Val>,
    backtrace: Vec<FrameInfo>,
}

impl Exception {
    /// An exception of `tag` carrying `payload`, for a host function to throw (return it as
    /// `Err(Error::Exception(..))`).
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when the payload does not match the tag's parameter types.
    pub fn new(tag: &Tag, payload: Vec<Val>) -> Result<Exception, Error> {
        let ty = tag.ty();
        let ok = payload.len() == ty.params().len()
            && payload.iter().zip(ty.params()).all(|(v, t)| v.matches(*t));
        if !ok {
            let given: Vec<String> = payload.iter().map(|v| v.ty().to_string()).collect();
            return Err(Error::TypeMismatch(format!(
                "tag payload is {}, given ({})",
                ty,
                given.join(", ")
            )));
        }
        Ok(Exception { tag: tag.clone(), payload, backtrace: Vec::new() })
    }

    /// The exception's tag.
    pub fn tag(&self) -> &Tag {
        &self.tag
    }

    /// The payload values, one per parameter of the tag's type.
    pub fn payload(&self) -> &[Val] {
        &self.payload
    }

    /// The wasm frames the exception unwound through before reaching the host, innermost
    /// first (empty for one made by [`Exception::new`]).
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    /// The exception that unwound out of wasm in `store` (its arena entry is released
    /// unless wasm holds a reference to it).
    pub(crate) fn from_thrown(store: &Arc<Store>, t: ThrownException) -> Exception {
        // The arena is the store's state: reached under its (re-entrant) lock.
        let _guard = store.lock();
        let (tag, raw) = {
            let exns = store.exceptions.borrow();
            let obj = exns.get(t.exn).expect("a thrown exception lives in its store");
            (obj.tag, obj.payload.clone())
        };
        store.exceptions.borrow_mut().release(t.exn);
        let tag = Tag { store: store.clone(), tag };
        let ty = tag.ty();
        let payload = ty
            .params()
            .iter()
            .zip(raw.iter())
            .map(|(ty, v)| Val::from_raw(store, *v, *ty))
            .collect();
        Exception { tag, payload, backtrace: t.backtrace }
    }

    /// This exception, thrown by a host function called from wasm in `store`.
    pub(crate) fn into_unwind(self, store: &Store) -> Unwind {
        let wrong =
            || Unwind::Trap(kiln_runtime_support::Trap::host(Error::WrongRuntime.to_string()));
        if !std::ptr::eq(Arc::as_ptr(&self.tag.store), store) {
            return wrong();
        }
        let _guard = store.lock();
        let mut payload = Vec::with_capacity(self.payload.len());
        for v in &self.payload {
            match v.to_raw(store) {
                Ok(r) => payload.push(r),
                Err(_) => return wrong(),
            }
        }
        let payload: Box<[ValRaw]> = payload.into_boxed_slice();
        let exn = store.exceptions.borrow_mut().alloc(self.tag.tag, payload);
        Unwind::Exception(ThrownException { exn, backtrace: Vec::new() })
    }
}

impl fmt::Display for Exception {
    /// Formats as `uncaught wasm exception: tag <name> (<type>) with payload (<values>)` and,
    /// when there are frames, a `wasm backtrace:` section as a trap's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.tag.name().unwrap_or_else(|| "<unnamed>".to_string());
        let payload: Vec<String> = self.payload.iter().map(|v| format!("{v:?}")).collect();
        write!(
            f,
            "uncaught wasm exception: tag {name} {} with payload ({})",
            self.tag.ty(),
            payload.join(", ")
        )?;
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().enumerate() {
                write!(f, "\n  {i:>3}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Exception {}
