//! One script's state (its runtime, named instances and module definitions) and how each
//! directive runs against it.

use crate::values::{arg_to_val, show_rets, show_val, show_vals, val_matches};
use kiln::{CompiledModule, Error, Instance, ModuleConfig, Runtime, Val};
use std::collections::HashMap;
use wast::token::{Id, Span};
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, Wat};

/// Whether a trap message satisfies the message a `.wast` file expects: the actual message
/// contains the expected text (as wasmtime's runner checks), or the expected text starts
/// with the actual message (the spec sometimes appends detail such as an element index).
pub(crate) fn trap_message_matches(actual: &str, expected: &str) -> bool {
    actual.contains(expected) || (!actual.is_empty() && expected.starts_with(actual))
}

/// The directive's keyword, as failures name it (`assert_trap` also for its module form,
/// which the spec once spelled `assert_uninstantiable`).
pub(crate) fn directive_kind(d: &WastDirective<'_>) -> &'static str {
    match d {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
    }
}

/// Whether a directive only changes the runner's state (so it must run even when skipped).
pub(crate) fn is_state_directive(d: &WastDirective<'_>) -> bool {
    matches!(
        d,
        WastDirective::Module(_)
            | WastDirective::ModuleDefinition(_)
            | WastDirective::ModuleInstance { .. }
            | WastDirective::Register { .. }
            | WastDirective::Invoke(_)
    )
}

/// The state of one script's run: a runtime with the `spectest` host module, and the
/// instances and module definitions the script named so far.
pub(crate) struct Script<'a> {
    text: &'a str,
    runtime: Runtime,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, CompiledModule>,
    last_definition: Option<CompiledModule>,
    current: Option<Instance>,
    /// Remarks on the directive being run (printed in verbose mode).
    pub(crate) notes: Vec<String>,
}

const COMPONENTS_UNSUPPORTED: &str = "components are not supported (Kiln runs core modules)";

/// Fails for a component (Kiln runs core modules only).
fn refuse_component(module: &QuoteWat<'_>) -> Result<(), String> {
    match module {
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) => {
            Err(COMPONENTS_UNSUPPORTED.to_string())
        }
        _ => Ok(()),
    }
}

/// What an execution produced: values, or the error Kiln returned.
type Exec = Result<Vec<Val>, Error>;

impl<'a> Script<'a> {
    /// A script over `text` running in `runtime` (which has the `spectest` module).
    pub(crate) fn new(text: &'a str, runtime: Runtime) -> Self {
        Self {
            text,
            runtime,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
            current: None,
            notes: Vec::new(),
        }
    }

    /// The 1-based line of `span`.
    pub(crate) fn line(&self, span: Span) -> usize {
        span.linecol_in(self.text).0 + 1
    }

    fn module_config() -> ModuleConfig {
        ModuleConfig::new().with_name("").with_start_functions(Vec::<String>::new())
    }

    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self
                .instances
                .get(id.name())
                .cloned()
                .ok_or_else(|| format!("no module named ${}", id.name())),
            None => self.current.clone().ok_or_else(|| "no current module".to_string()),
        }
    }

    /// The binary of a module directive's module (text, quoted or binary).
    fn encode(module: &mut QuoteWat<'_>) -> Result<Vec<u8>, String> {
        refuse_component(module)?;
        module.encode().map_err(|e| format!("the wast crate cannot encode the module: {e}"))
    }

    /// The binary of a module written inline in an assertion.
    fn encode_wat(module: &mut Wat<'_>) -> Result<Vec<u8>, String> {
        if let Wat::Component(_) = module {
            return Err(COMPONENTS_UNSUPPORTED.to_string());
        }
        module.encode().map_err(|e| format!("the wast crate cannot encode the module: {e}"))
    }

    fn compile(&self, bytes: &[u8]) -> Result<CompiledModule, String> {
        self.runtime.compile(bytes).map_err(|e| format!("compile failed: {e}"))
    }

    fn instantiate(&self, module: &CompiledModule) -> Result<Instance, String> {
        self.runtime
            .instantiate(module, Self::module_config())
            .map_err(|e| format!("instantiation failed: {e}"))
    }

    fn invoke(&self, inv: &WastInvoke<'_>) -> Result<Exec, String> {
        let instance = self.instance(inv.module)?;
        let func = instance
            .exported_function(inv.name)
            .ok_or_else(|| format!("no exported function \"{}\"", inv.name))?;
        let args = inv.args.iter().map(arg_to_val).collect::<Result<Vec<_>, _>>()?;
        Ok(func.call(&args))
    }

    /// Runs an execution: an invocation, a global read, or (for the module form of
    /// `assert_trap`) an instantiation, which yields no values.
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Exec, String> {
        match exec {
            WastExecute::Invoke(inv) => self.invoke(&inv),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let g = instance
                    .exported_global(global)
                    .ok_or_else(|| format!("no exported global \"{global}\""))?;
                Ok(Ok(vec![g.get()]))
            }
            WastExecute::Wat(mut wat) => {
                let bytes = Self::encode_wat(&mut wat)?;
                let module = self.compile(&bytes)?;
                Ok(self.runtime.instantiate(&module, Self::module_config()).map(|_| Vec::new()))
            }
        }
    }

    fn expect_trap(&mut self, exec: Exec, message: &str) -> Result<(), String> {
        match exec {
            Ok(vals) => Err(format!("expected trap \"{message}\", got {}", show_vals(&vals))),
            Err(Error::Trap(t)) => {
                if trap_message_matches(t.message(), message) {
                    if !t.message().contains(message) {
                        self.notes
                            .push(format!("trap \"{}\" accepted for \"{message}\"", t.message()));
                    }
                    Ok(())
                } else {
                    Err(format!(
                        "expected trap \"{message}\", got trap \"{}\" ({:?})",
                        t.message(),
                        t.code()
                    ))
                }
            }
            Err(e) => Err(format!("expected trap \"{message}\", got error: {e}")),
        }
    }

    /// Expects `module` to be rejected at compile time (malformed or invalid).
    fn expect_compile_error(
        &mut self,
        module: &mut QuoteWat<'_>,
        message: &str,
        what: &str,
    ) -> Result<(), String> {
        refuse_component(module)?;
        let bytes = match module.encode() {
            Ok(b) => b,
            // The text itself is rejected (a quoted module that does not parse, or a
            // module the text format cannot express): detected.
            Err(e) => {
                self.notes
                    .push(format!("rejected by the text parser, not by Kiln: {}", e.message()));
                return Ok(());
            }
        };
        match self.runtime.compile(&bytes) {
            Ok(_) => Err(format!("module compiled; expected it to be {what} (\"{message}\")")),
            Err(Error::Compile(e)) if !e.unsupported => Ok(()),
            Err(Error::Compile(e)) => {
                Err(format!("rejected as unsupported, not {what} (\"{message}\"): {e}"))
            }
            Err(e) => Err(format!("expected a compile error ({what}: \"{message}\"), got: {e}")),
        }
    }

    /// Runs one directive: `Ok` when Kiln behaved as the script expects, else what differed.
    pub(crate) fn run(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            // A module directive that fails leaves no current module (and no module under
            // its name), so the assertions after it fail instead of running against an
            // earlier module.
            WastDirective::Module(mut module) => {
                let id = module.name().map(|i| i.name().to_string());
                self.current = None;
                if let Some(id) = &id {
                    self.instances.remove(id);
                }
                let bytes = Self::encode(&mut module)?;
                let compiled = self.compile(&bytes)?;
                let instance = self.instantiate(&compiled)?;
                if let Some(id) = id {
                    self.instances.insert(id, instance.clone());
                }
                self.current = Some(instance);
                Ok(())
            }
            WastDirective::ModuleDefinition(mut module) => {
                let id = module.name().map(|i| i.name().to_string());
                self.last_definition = None;
                if let Some(id) = &id {
                    self.definitions.remove(id);
                }
                let bytes = Self::encode(&mut module)?;
                let compiled = self.compile(&bytes)?;
                if let Some(id) = id {
                    self.definitions.insert(id, compiled.clone());
                }
                self.last_definition = Some(compiled);
                Ok(())
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                self.current = None;
                if let Some(id) = instance {
                    self.instances.remove(id.name());
                }
                let def = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                }
                .ok_or_else(|| "no such module definition".to_string())?;
                let inst = self.instantiate(&def)?;
                if let Some(id) = instance {
                    self.instances.insert(id.name().to_string(), inst.clone());
                }
                self.current = Some(inst);
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.runtime.register(name, &instance).map_err(|e| format!("register failed: {e}"))
            }
            WastDirective::Invoke(inv) => match self.invoke(&inv)? {
                Ok(_) => Ok(()),
                Err(e) => Err(format!("invocation of \"{}\" failed: {e}", inv.name)),
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                let vals = self
                    .execute(exec)?
                    .map_err(|e| format!("expected {}, got error: {e}", show_rets(&results)))?;
                if vals.len() == results.len()
                    && vals.iter().zip(&results).all(|(v, r)| val_matches(v, r))
                {
                    Ok(())
                } else {
                    let diffs: Vec<String> = vals
                        .iter()
                        .zip(&results)
                        .enumerate()
                        .filter(|(_, (v, r))| !val_matches(v, r))
                        .map(|(i, (v, _))| format!("result {i} is {}", show_val(v)))
                        .collect();
                    Err(format!(
                        "expected {}, got {}{}",
                        show_rets(&results),
                        show_vals(&vals),
                        if diffs.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", diffs.join("; "))
                        }
                    ))
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                let exec = self.execute(exec)?;
                self.expect_trap(exec, message)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let exec = self.invoke(&call)?;
                self.expect_trap(exec, message)
            }
            WastDirective::AssertException { exec, .. } => match self.execute(exec)? {
                Err(Error::Exception(_)) => Ok(()),
                Ok(vals) => Err(format!("expected an exception, got {}", show_vals(&vals))),
                Err(e) => Err(format!("expected an exception, got error: {e}")),
            },
            WastDirective::AssertInvalid { mut module, message, .. } => {
                self.expect_compile_error(&mut module, message, "invalid")
            }
            WastDirective::AssertMalformed { mut module, message, .. } => {
                self.expect_compile_error(&mut module, message, "malformed")
            }
            WastDirective::AssertUnlinkable { mut module, message, .. } => {
                let bytes = Self::encode_wat(&mut module)?;
                let compiled = self.compile(&bytes)?;
                match self.runtime.instantiate(&compiled, Self::module_config()) {
                    Ok(_) => {
                        Err(format!("module instantiated; expected a link error (\"{message}\")"))
                    }
                    Err(Error::Link(_)) => Ok(()),
                    Err(e) => Err(format!("expected a link error (\"{message}\"), got: {e}")),
                }
            }
            other => Err(format!("unsupported directive {}", directive_kind(&other))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert!(trap_message_matches("integer divide by zero", "integer divide by zero"));
        assert!(trap_message_matches("uninitialized element", "uninitialized element 2"));
        assert!(!trap_message_matches("unreachable", "integer overflow"));
        assert!(!trap_message_matches("", "integer overflow"));
    }
}
