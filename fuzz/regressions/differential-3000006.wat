(module
  (type (;0;) (func (param externref)))
  (table (;0;) 49 108 funcref)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (func (;0;) (type 0) (param externref)
    (local f32)
    global.get 4
    if ;; label = @1
    else
      unreachable
    end
    global.get 4
    global.set 4
    i64.const -4758325284616493782
    local.get 0
    i32.const 0
    return_call_indirect (type 0)
    f64.convert_i64_u
    i64.trunc_sat_f64_u
    f32.const -0x1.48fa38p-6 (;=-0.020079188;)
    f32.abs
    i64.const 63
    i64.eqz
    br 0
    i32.const 1
    i32.rotr
    i64.const 0
    i64.clz
    i32.const 0
    br 0
    ref.null extern
    ref.null extern
    return_call 0
    i32.const 4
    i32.const 266807621
    i32.eq
    local.get 0
    f64.const -0x1.72be5bcb1f4cap-819 (;=-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000414254499920487;)
    local.get 0
    i32.const 3000155
    i32.eqz
    if (type 0) (param externref) ;; label = @1
      drop
    else
      br 0 (;@1;)
      ref.null extern
      br 0 (;@1;)
      i32.const 0
      f64.convert_i32_u
      block ;; label = @2
        i32.const 0
        br_if 1 (;@1;)
        ref.null extern
        i32.const 1
        call_indirect (type 0)
      end
      i32.const 0
      local.get 0
      nop
      i32.const 0
      f64.const -0x1.180bef79bddabp+867 (;=-1076456823781626400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      f64.neg
      i32.const 1
      f32.const 0x1.042a9ap-24 (;=0.00000006057471;)
      i32.const 0
      f64.convert_i32_u
      f32.const 0x1.efa136p-1 (;=0.9680268;)
      local.get 0
      block (type 0) (param externref) ;; label = @2
        i64.const -5516210279388721130
        i32.const 1
        f32.const -0x1.a521ccp-87 (;=-0.000000000000000000000000010630867;)
        f32.const nan (;=NaN;)
        i32.const 1
        select
        f64.const -0x1.543fdeee0aa25p-438 (;=-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001872489640500624;)
        nop
        i32.const 0
        i64.const 0
        loop (result f64) ;; label = @3
          global.get 4
          i32.eqz
          if ;; label = @4
            unreachable
          end
          global.get 4
          global.set 4
          local.get 0
          return_call 1
          local.get 0
          local.set 0
          ref.null func
          br 1 (;@2;)
          br 3
          i32.const 1
          loop (result i32) ;; label = @4
            global.get 4
            i32.eqz
            if ;; label = @5
              unreachable
            end
            global.get 4
            global.set 4
            i32.const 1325042472
          end
          global.get 2
          i32.xor
          global.set 2
          global.get 2
          i32.xor
          global.set 2
          drop
          f64.const -nan:0xfff7fffffffff (;=NaN;)
        end
        i64.reinterpret_f64
        global.get 3
        i64.xor
        global.set 3
        global.get 1
        i64.xor
        global.set 1
        global.get 2
        i32.xor
        global.set 2
        i64.reinterpret_f64
        global.get 3
        i64.xor
        global.set 3
        i32.reinterpret_f32
        global.get 0
        i32.xor
        global.set 0
        global.get 2
        i32.xor
        global.set 2
        global.get 1
        i64.xor
        global.set 1
        drop
      end
      i32.reinterpret_f32
      i32.const 0
      i32.xor
      global.set 0
      i64.reinterpret_f64
      i64.const 0
      i64.xor
      global.set 3
      i32.reinterpret_f32
      global.get 0
      i32.xor
      global.set 0
      global.get 2
      i32.xor
      global.set 2
      i64.reinterpret_f64
      global.get 3
      i64.xor
      global.set 3
      global.get 2
      i32.xor
      global.set 2
      drop
      i32.const 1
      i32.xor
      global.set 2
      i64.reinterpret_f64
      global.get 3
      i64.xor
      global.set 3
      drop
      drop
    end
    i64.reinterpret_f64
    global.get 3
    i64.xor
    global.set 3
    drop
    drop
    drop
    global.get 2
    i32.xor
    global.set 2
    global.get 1
    i64.xor
    global.set 1
    global.get 2
    i32.xor
    global.set 2
    i32.reinterpret_f32
    global.get 0
    i32.xor
    global.set 0
    global.get 1
    i64.xor
    global.set 1
  )
  (func (;1;) (type 0) (param externref))
)
