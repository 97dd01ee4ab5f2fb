;; Kiln's tests of legacy `delegate` and `rethrow` (flat text format; see try_catch.wast).

(module
  (tag $e0)
  (tag $e1)
  (tag $e-i32 (param i32))

  (func $throw-if (param i32)
    local.get 0
    if
      throw $e0
    end)

  (func (export "rethrow-0") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      catch $e0
        rethrow 0
      end
    catch $e0
      i32.const 1
    end)

  (func (export "rethrow-uncaught") (param i32) (result i32)
    try (result i32)
      throw $e0
    catch_all
      local.get 0
      i32.eqz
      if
        rethrow 1
      end
      i32.const 23
    end)

  (func (export "rethrow-payload") (result i32)
    try (result i32)
      try (result i32)
        i32.const 77
        throw $e-i32
      catch $e-i32
        drop
        rethrow 0
      end
    catch $e-i32
    end)

  (func (export "rethrow-nested") (param i32) (result i32)
    try (result i32)
      throw $e1
    catch $e1
      try (result i32)
        throw $e0
      catch $e0
        local.get 0
        i32.const 0
        i32.eq
        if
          rethrow 1
        end
        local.get 0
        i32.const 1
        i32.eq
        if
          rethrow 2
        end
        i32.const 23
      end
    end)

  (func (export "rethrow-which") (param i32) (result i32)
    try (result i32)
      try (result i32)
        throw $e1
      catch $e1
        try (result i32)
          throw $e0
        catch $e0
          local.get 0
          if
            rethrow 2
          end
          rethrow 0
        end
      end
    catch $e0
      i32.const 10
    catch $e1
      i32.const 11
    end)

  (func (export "rethrow-recatch") (param i32) (result i32)
    try (result i32)
      throw $e0
    catch $e0
      try (result i32)
        local.get 0
        i32.eqz
        if
          rethrow 2
        end
        i32.const 42
      catch $e0
        i32.const 23
      end
    end)

  (func (export "delegate-no-throw") (result i32)
    try $t (result i32)
      try (result i32)
        i32.const 1
      delegate $t
    catch $e0
      i32.const 2
    end)

  (func (export "delegate-throw") (param i32) (result i32)
    try $t (result i32)
      try (result i32)
        local.get 0
        call $throw-if
        i32.const 1
      delegate $t
    catch $e0
      i32.const 2
    end)

  (func (export "delegate-skip") (result i32)
    try $t (result i32)
      try (result i32)
        try (result i32)
          throw $e0
        delegate $t
      catch $e0
        i32.const 2
      end
    catch $e0
      i32.const 3
    end)

  (func (export "delegate-to-block") (result i32)
    try (result i32)
      block
        try
          throw $e0
        delegate 0
      end
      i32.const 0
    catch_all
      i32.const 1
    end)

  (func (export "delegate-to-catch") (result i32)
    try (result i32)
      try
        throw $e0
      catch $e0
        try
          rethrow 1
        delegate 0
      end
      i32.const 0
    catch_all
      i32.const 1
    end)

  (func (export "delegate-to-caller")
    try
      throw $e0
    delegate 0)

  (func (export "delegate-to-caller-skipping")
    try
      try
        throw $e0
      delegate 1
    catch_all
    end)

  (func (export "delegate-no-match") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      delegate 0
    catch $e1
      i32.const 2
    end)

  (func (export "delegate-targets") (result i32)
    try (result i32)
      try $l3
        try $l2
          try $l1
            try $l0
              try
                throw $e0
              delegate $l1
            catch_all
              unreachable
            end
          delegate $l3
        catch_all
          unreachable
        end
      catch_all
        try
          throw $e0
        delegate $l3
      end
      unreachable
    catch_all
      i32.const 1
    end)

  (func $throw-void (throw $e0))
  (func (export "return-call-in-delegate")
    try $l
      try
        return_call $throw-void
      delegate $l
    catch $e0
    end)

  (table funcref (elem $throw-void))
  (func (export "return-call-indirect-in-delegate")
    try $l
      try
        i32.const 0
        return_call_indirect
      delegate $l
    catch $e0
    end)

  (func (export "return-call-in-try")
    try
      return_call $throw-void
    catch $e0
    end)
)

(assert_return (invoke "rethrow-0") (i32.const 1))
(assert_exception (invoke "rethrow-uncaught" (i32.const 0)))
(assert_return (invoke "rethrow-uncaught" (i32.const 1)) (i32.const 23))
(assert_return (invoke "rethrow-payload") (i32.const 77))
(assert_exception (invoke "rethrow-nested" (i32.const 0)))
(assert_exception (invoke "rethrow-nested" (i32.const 1)))
(assert_return (invoke "rethrow-nested" (i32.const 2)) (i32.const 23))
(assert_return (invoke "rethrow-which" (i32.const 0)) (i32.const 10))
(assert_return (invoke "rethrow-which" (i32.const 1)) (i32.const 11))
(assert_return (invoke "rethrow-recatch" (i32.const 0)) (i32.const 23))
(assert_return (invoke "rethrow-recatch" (i32.const 1)) (i32.const 42))
(assert_return (invoke "delegate-no-throw") (i32.const 1))
(assert_return (invoke "delegate-throw" (i32.const 0)) (i32.const 1))
(assert_return (invoke "delegate-throw" (i32.const 1)) (i32.const 2))
(assert_return (invoke "delegate-skip") (i32.const 3))
(assert_return (invoke "delegate-to-block") (i32.const 1))
(assert_return (invoke "delegate-to-catch") (i32.const 1))
(assert_exception (invoke "delegate-to-caller"))
(assert_exception (invoke "delegate-to-caller-skipping"))
(assert_exception (invoke "delegate-no-match"))
(assert_return (invoke "delegate-targets") (i32.const 1))
(assert_exception (invoke "return-call-in-delegate"))
(assert_exception (invoke "return-call-indirect-in-delegate"))
(assert_exception (invoke "return-call-in-try"))

(assert_invalid (module (func rethrow 0)) "invalid rethrow label")
(assert_invalid (module (func block rethrow 0 end)) "invalid rethrow label")
(assert_invalid (module (func try rethrow 0 delegate 0)) "invalid rethrow label")
(assert_invalid (module (func try delegate 1)) "unknown label")
