;; Kiln's tests of the legacy exception-handling instructions (`try`, `catch`,
;; `catch_all`, `delegate`, `rethrow`), written in the flat text format (the `wast` crate
;; parses the legacy instructions only there). They follow the semantics of the spec's
;; legacy exception tests: a `try` body's exception goes to the first matching `catch`
;; (or `catch_all`) with its payload on the stack; `rethrow n` throws again the exception
;; of the catch block `n` labels out; `delegate n` hands an exception the body does not
;; catch to the handlers around label `n` (or to the caller, for the function's label).

(module
  (tag $e0 (export "e0"))
  (func (export "throw") (throw $e0))
)
(register "test")

(module
  (tag $imported (import "test" "e0"))
  (func $imported-throw (import "test" "throw"))
  (tag $e0)
  (tag $e1)
  (tag $e2)
  (tag $e-i32 (param i32))
  (tag $e-i64-f64 (param i64 f64))
  (tag $e-v128 (param v128))

  (func $throw-if (param i32) (result i32)
    local.get 0
    if
      throw $e0
    end
    i32.const 0)

  (func (export "simple") (param i32) (result i32)
    try (result i32)
      local.get 0
      i32.eqz
      if
        throw $e0
      end
      i32.const 42
    catch $e0
      i32.const 23
    end)

  (func (export "payload") (param i32) (result i32)
    try (result i32)
      local.get 0
      throw $e-i32
    catch $e-i32
      i32.const 1
      i32.add
    end)

  (func (export "payload-2") (param i64 f64) (result f64)
    (local $x f64)
    try (result f64)
      local.get 0
      local.get 1
      throw $e-i64-f64
    catch $e-i64-f64
      local.set $x
      f64.convert_i64_s
      local.get $x
      f64.add
      f64.const 0.5
      f64.add
    end)

  (func (export "payload-v128") (param i64) (result i64)
    try (result i64)
      local.get 0
      i64x2.splat
      throw $e-v128
    catch $e-v128
      i64x2.extract_lane 1
    end)

  (func (export "select") (param i32) (result i32)
    try (result i32)
      block
        block
          block
            local.get 0
            br_table 0 1 2
          end
          throw $e0
        end
        throw $e1
      end
      throw $e2
    catch $e0
      i32.const 10
    catch $e1
      i32.const 11
    catch_all
      i32.const 12
    end)

  (func (export "catch-all-only") (result i32)
    try (result i32)
      i32.const 7
      throw $e-i32
    catch_all
      i32.const 99
    end)

  (func (export "no-match") (result i32)
    try (result i32)
      throw $e1
    catch $e0
      i32.const 1
    end)

  (func (export "callee-throws") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $throw-if
    catch $e0
      i32.const 5
    end)

  (func (export "imported") (result i32)
    try (result i32)
      call $imported-throw
      i32.const 1
    catch $imported
      i32.const 2
    end)

  (func (export "imported-not-local") (result i32)
    try (result i32)
      call $imported-throw
      i32.const 1
    catch $e0
      i32.const 2
    catch_all
      i32.const 3
    end)

  (func (export "trap-not-caught") (result i32)
    try (result i32)
      unreachable
    catch_all
      i32.const 1
    end)

  (func (export "nested") (param i32) (result i32)
    try (result i32)
      try (result i32)
        local.get 0
        i32.eqz
        if
          throw $e0
        end
        throw $e1
      catch $e0
        i32.const 1
      end
    catch $e1
      i32.const 2
    end)

  (func (export "throw-in-catch") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      catch $e0
        throw $e1
      end
    catch $e1
      i32.const 3
    end)

  (func (export "catch-not-own-handler") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      catch $e0
        throw $e0
      catch_all
        i32.const 100
      end
    catch $e0
      i32.const 4
    end)

  (func (export "br-out-of-catch") (result i32)
    block $out (result i32)
      try
        i32.const 17
        throw $e-i32
      catch $e-i32
        br $out
      end
      i32.const 0
    end)

  (func (export "br-out-of-try") (result i32)
    block $out (result i32)
      try
        i32.const 18
        br $out
      catch_all
      end
      i32.const 0
    end)

  (func (export "with-param") (param i32) (result i32)
    local.get 0
    try (param i32) (result i32)
      i32.eqz
      if
        throw $e0
      end
      i32.const 1
    catch $e0
      i32.const 2
    end)

  (func (export "loop-catch") (param i32) (result i32)
    (local $n i32)
    loop $again
      try
        local.get $n
        throw $e-i32
      catch $e-i32
        i32.const 1
        i32.add
        local.set $n
      end
      local.get $n
      local.get 0
      i32.lt_u
      br_if $again
    end
    local.get $n)

  (table funcref (elem $throw-void))
  (func $throw-void (throw $e0))
  (func (export "call-indirect") (result i32)
    try (result i32)
      i32.const 0
      call_indirect
      i32.const 0
    catch $e0
      i32.const 6
    end)

  (func (export "catch-ref-of-legacy") (result i32)
    block $h (result exnref)
      try_table (catch_all_ref $h)
        try
          throw $e0
        catch $e0
          rethrow 0
        end
      end
      unreachable
    end
    drop
    i32.const 8)

  (func (export "legacy-catches-throw-ref") (result i32)
    try (result i32)
      block $h (result exnref)
        try_table (catch_ref $e0 $h)
          throw $e0
        end
        unreachable
      end
      throw_ref
    catch $e0
      i32.const 9
    end)

  (func (export "empty-try") (result i32)
    try
    catch_all
    end
    try (result i32)
      i32.const 3
    end)
)

(assert_return (invoke "simple" (i32.const 0)) (i32.const 23))
(assert_return (invoke "simple" (i32.const 1)) (i32.const 42))
(assert_return (invoke "payload" (i32.const 41)) (i32.const 42))
(assert_return (invoke "payload-2" (i64.const 3) (f64.const 1.25)) (f64.const 4.75))
(assert_return (invoke "payload-v128" (i64.const -9)) (i64.const -9))
(assert_return (invoke "select" (i32.const 0)) (i32.const 10))
(assert_return (invoke "select" (i32.const 1)) (i32.const 11))
(assert_return (invoke "select" (i32.const 2)) (i32.const 12))
(assert_return (invoke "catch-all-only") (i32.const 99))
(assert_exception (invoke "no-match"))
(assert_return (invoke "callee-throws" (i32.const 0)) (i32.const 0))
(assert_return (invoke "callee-throws" (i32.const 1)) (i32.const 5))
(assert_return (invoke "imported") (i32.const 2))
(assert_return (invoke "imported-not-local") (i32.const 3))
(assert_trap (invoke "trap-not-caught") "unreachable")
(assert_return (invoke "nested" (i32.const 0)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 1)) (i32.const 2))
(assert_return (invoke "throw-in-catch") (i32.const 3))
(assert_return (invoke "catch-not-own-handler") (i32.const 4))
(assert_return (invoke "br-out-of-catch") (i32.const 17))
(assert_return (invoke "br-out-of-try") (i32.const 18))
(assert_return (invoke "with-param" (i32.const 0)) (i32.const 2))
(assert_return (invoke "with-param" (i32.const 1)) (i32.const 1))
(assert_return (invoke "loop-catch" (i32.const 1000)) (i32.const 1000))
(assert_return (invoke "call-indirect") (i32.const 6))
(assert_return (invoke "catch-ref-of-legacy") (i32.const 8))
(assert_return (invoke "legacy-catches-throw-ref") (i32.const 9))
(assert_return (invoke "empty-try") (i32.const 3))

(assert_invalid
  (module (tag $e (param i32)) (func (result i32) try (result i32) i32.const 0 catch $e drop end))
  "type mismatch")
