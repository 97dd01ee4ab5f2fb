(module
  (type (;0;) (func (result f32)))
  (table (;0;) 114 363 funcref)
  (memory (;0;) 0)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (func (;0;) (type 0) (result f32)
    (local funcref f32 f32)
    i32.const 0
    if ;; label = @1
      unreachable
    end
    global.get 0
    i64.const 0
    global.get 0
    call_indirect (type 0)
    i32.reinterpret_f32
    f64.load align=2
    block ;; label = @1
    end
    i32.const 0
    if ;; label = @1
    end
    call 0
    i32.const 0
    i64.const 0
    memory.size
    i32.const 1738209833
    i32.const 1
    local.get 0
    i64.const 0
    i64.const 0
    f32.const 0x1p+0 (;=1;)
    local.get 0
    f32.const -0x1.fffffep+124 (;=-42535293000000000000000000000000000000;)
    i64.const 0
    i64.extend16_s
    i64.const 1
    data.drop 0
    f64.const -nan:0xfffff7fffffff (;=NaN;)
    loop ;; label = @1
      global.get 1
      i32.eqz
      if ;; label = @2
        unreachable
      end
      loop ;; label = @2
        global.get 1
        i32.eqz
        if ;; label = @3
          unreachable
        end
        call 0
        local.get 0
        memory.size
        loop (result f64) ;; label = @3
          global.get 1
          if ;; label = @4
            unreachable
          end
          global.get 1
          global.set 1
          block ;; label = @4
            i64.const 0
            f32.const -0x1.49c944p+15 (;=-42212.633;)
            f64.promote_f32
            memory.size
            return_call 0
            f32.nearest
            local.tee 1
            f32.const nan (;=NaN;)
            local.get 1
            local.get 1
            f32.eq
            select
            f32.ceil
            local.tee 2
            f32.const nan (;=NaN;)
            local.get 2
            local.get 2
            f32.eq
            select
            i32.trunc_f32_s
            i32.store8
            unreachable
            unreachable
          end
          unreachable
        end
        unreachable
      end
    end
    unreachable
  )
  (data (;0;) "")
)
