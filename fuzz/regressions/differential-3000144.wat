(module
  (type (;0;) (func))
  (table (;0;) 1 376 funcref)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (func (;0;) (type 0)
    (local externref f32 f32 v128 v128 f32 f64)
    global.get 4
    if ;; label = @1
      unreachable
    end
    global.get 4
    global.set 4
    i64.const 0
    i32.const 1
    f32.const 0x1.ffd6c2p+76 (;=151068180000000000000000;)
    return_call 0
    f32.trunc
    local.tee 2
    f32.const nan (;=NaN;)
    local.get 2
    local.get 2
    f32.eq
    select
    i64.trunc_f32_u
    local.get 0
    local.tee 0
    local.tee 0
    f32.const 0x1.a1347cp+118 (;=541563070000000000000000000000000000;)
    i32.reinterpret_f32
    return_call_indirect (type 0)
    loop (type 0) ;; label = @1
      global.get 4
      if ;; label = @2
        unreachable
      end
      i32.const 0
      global.set 4
      loop (result v128) ;; label = @2
        global.get 4
        if ;; label = @3
          unreachable
        end
        i32.const 0
        global.set 4
        call 0
        call 0
        i64.const 1
        local.get 3
        ref.null extern
        ref.null func
        local.get 0
        local.get 5
        loop (result f32) ;; label = @3
          global.get 4
          if ;; label = @4
            unreachable
          end
          global.get 4
          global.set 4
          f32.const 0x1.020202p-125 (;=0.000000000000000000000000000000000000023694278;)
        end
        i32.reinterpret_f32
        global.get 0
        i32.xor
        global.set 0
        i32.reinterpret_f32
        i32.const 0
        i32.xor
        global.set 0
        drop
        drop
        drop
        global.get 1
        v128.xor
        global.set 1
        global.get 2
        i64.xor
        global.set 2
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      end
      global.get 1
      v128.xor
      global.set 1
    end
    drop
    i64.const 0
    i64.xor
    global.set 2
    global.get 3
    i32.xor
    global.set 3
    i64.const 1
    i64.xor
    global.set 2
  )
)
