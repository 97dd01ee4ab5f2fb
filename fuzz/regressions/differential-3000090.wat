(module
  (type (;0;) (func (result f32 f32 f64)))
  (global (;0;) i64 i64.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i32) i32.const 0)
  (global (;6;) (mut i32) i32.const 0)
  (elem (;0;) declare func)
  (func (;0;) (type 0) (result f32 f32 f64)
    (local f32 f32 f32 f64 f32 f64 f64 f64 f64 f32 f64 f64 f32)
    global.get 6
    i32.eqz
    if ;; label = @1
      unreachable
    end
    global.get 6
    global.set 6
    i32.const 62127609
    i32.const 0
    call 1
    i64.trunc_sat_f64_u
    f32.const 0x1.2f1b3ep-14 (;=0.0000722662;)
    f32.nearest
    local.tee 0
    f32.const nan (;=NaN;)
    local.get 0
    local.get 0
    f32.eq
    select
    i32.reinterpret_f32
    i32.ctz
    i32.eqz
    i32.const 1696730257
    i32.shr_s
    f32.convert_i32_s
    elem.drop 0
    f32.trunc
    local.tee 1
    f32.const nan (;=NaN;)
    local.get 1
    local.get 1
    f32.eq
    select
    local.tee 2
    local.get 2
    f32.ne
    local.get 2
    f32.const inf (;=inf;)
    f32.eq
    local.get 2
    f32.const -inf (;=-inf;)
    f32.eq
    i32.or
    i32.or
    if ;; label = @1
      f32.const 0x0p+0 (;=0;)
      local.set 2
    end
    local.get 2
    f32.const 0x1p+0 (;=1;)
    f32.lt
    if ;; label = @1
    end
    i32.const -652935161
    if ;; label = @1
      f32.const 0x1.fffffep+30 (;=2147483500;)
      local.set 2
    end
    local.get 2
    i32.trunc_f32_u
    if (result i32) ;; label = @1
      f64.const -0x1.efe9e03368d53p-913 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002797563751957098;)
      local.get 3
      f64.ne
      i32.const 0
      i32.or
      if ;; label = @2
      end
      local.get 3
      f64.const -0x1p+31 (;=-2147483648;)
      f64.lt
      if ;; label = @2
        f64.const -0x1p+31 (;=-2147483648;)
        local.set 3
      end
      local.get 3
      f64.const 0x1.fffffffcp+30 (;=2147483647;)
      f64.gt
      if ;; label = @2
        f64.const 0x1.fffffffcp+30 (;=2147483647;)
        local.set 3
      end
      i32.const 0
      if (type 0) (result f32 f32 f64) ;; label = @2
        v128.const i32x4 0x5cda7b40 0xf7edfb82 0xbf86b3da 0x539a8f5b
        block (result f32) ;; label = @3
          i32.const -1
          f32.const -nan:0x7ffbff (;=NaN;)
          local.tee 4
          local.get 4
          f32.ne
          local.get 4
          f32.const inf (;=inf;)
          f32.eq
          local.get 4
          f32.const 0x0p+0 (;=0;)
          f32.eq
          i32.or
          i32.or
          if ;; label = @4
          end
          local.get 4
          f32.const -0x1.fffffep+30 (;=-2147483500;)
          f32.lt
          if ;; label = @4
            nop
          end
          local.get 4
          f32.const 0x1.fffffep+30 (;=2147483500;)
          f32.gt
          if ;; label = @4
            f32.const 0x1.fffffep+30 (;=2147483500;)
            local.set 4
          end
          i32.const 0
          br 2 (;@1;)
          f64.convert_i32_u
          f64.neg
          f64.const 0x1.fffp-1062 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004047;)
          f64.sub
          local.tee 5
          f64.const -0x1.0d40d5d618eb8p-72 (;=-0.0000000000000000000002227210789236817;)
          i32.const 0
          select
          local.tee 6
          local.get 6
          f64.ne
          i32.const 1
          i32.or
          if ;; label = @4
          end
          local.get 6
          f64.const -0x1p+31 (;=-2147483648;)
          f64.lt
          if ;; label = @4
            f64.const -0x1p+31 (;=-2147483648;)
            local.set 6
          end
          i32.const 0
          if ;; label = @4
            f64.const 0x1.fffffffcp+30 (;=2147483647;)
            local.set 6
          end
          f32.const 0x1.99fda8p-80 (;=0.0000000000000000000000013247519;)
          block ;; label = @4
            br 0 (;@4;)
            f32.const 0x1p-123 (;=0.00000000000000000000000000000000000009403955;)
            loop (type 0) (result f32 f32 f64) ;; label = @5
              global.get 6
              i32.eqz
              if ;; label = @6
                unreachable
              end
              global.get 6
              i32.const 1
              i32.sub
              global.set 6
              v128.const i32x4 0x46a67d4d 0x2127df66 0xb3503c88 0xc5341ab2
              return_call 0
              f64.ceil
              local.tee 8
              f64.const nan (;=NaN;)
              local.get 8
              local.get 8
              f64.eq
              select
              i32.trunc_sat_f64_s
              f32.convert_i32_s
              local.tee 9
              local.get 9
              f32.ne
              local.get 9
              f32.const inf (;=inf;)
              f32.eq
              local.get 9
              f32.const -inf (;=-inf;)
              f32.eq
              i32.or
              i32.or
              if ;; label = @6
              end
              i32.const 1
              if ;; label = @6
                f32.const -0x1.fffffep+30 (;=-2147483500;)
                local.set 9
              end
              i32.const 0
              if ;; label = @6
                f32.const 0x1.fffffep+30 (;=2147483500;)
                local.set 9
              end
              local.get 9
              i32.trunc_f32_s
              i32.extend16_s
              if ;; label = @6
                i32.const 1
                if (type 0) (result f32 f32 f64) ;; label = @7
                  global.get 0
                  f32.convert_i64_u
                  local.get 10
                  block (result i64) ;; label = @8
                    v128.const i32x4 0xd4adc38d 0x37d8595a 0xaefc705d 0x7caa3445
                    i64.const 2899169015093496811
                    ref.null func
                    i32.const 2132722248
                    if ;; label = @9
                      nop
                    end
                    local.get 12
                    f32.const -0x1p+63 (;=-9223372000000000000;)
                    f32.lt
                    if ;; label = @9
                      f32.const -0x1p+63 (;=-9223372000000000000;)
                      local.set 12
                    end
                    local.get 12
                    f32.const 0x1.fffffep+62 (;=9223371500000000000;)
                    f32.gt
                    if ;; label = @9
                    end
                    i64.const 0
                    global.get 1
                    i64.xor
                    global.set 1
                    drop
                    global.get 1
                    i64.xor
                    global.set 1
                    global.get 2
                    v128.xor
                    global.set 2
                    i64.const 0
                  end
                  global.get 1
                  i64.xor
                  global.set 1
                  i64.reinterpret_f64
                  global.get 3
                  i64.xor
                  global.set 3
                  f32.const -0x1.4e04ep+45 (;=-45907228000000;)
                  f64.const -0x1.9013ec75dfa2cp+816 (;=-682937529270071500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                else
                  f32.const 0x1.b6e16cp+97 (;=271653900000000000000000000000;)
                  f32.const -nan:0x780000 (;=NaN;)
                  f64.const -0x1.55c27140e899cp-356 (;=-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000009094989992910042;)
                end
                i64.reinterpret_f64
                global.get 3
                i64.xor
                global.set 3
                i32.reinterpret_f32
                global.get 4
                i32.xor
                global.set 4
                i32.reinterpret_f32
                global.get 4
                i32.xor
                global.set 4
              end
              i32.reinterpret_f32
              global.get 4
              i32.xor
              global.set 4
              i32.reinterpret_f32
              global.get 4
              i32.xor
              global.set 4
              global.get 2
              v128.xor
              global.set 2
              f32.const 0x1.5460b4p-126 (;=0.00000000000000000000000000000000000001562938;)
              f32.const -0x1.0fb8ecp-29 (;=-0.0000000019770403;)
              f64.const 0x1.98a9c947515a9p+945 (;=474757132180926200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
            end
            i64.reinterpret_f64
            global.get 3
            i64.xor
            global.set 3
            i32.reinterpret_f32
            global.get 4
            i32.xor
            global.set 4
            i32.reinterpret_f32
            global.get 4
            i32.xor
            global.set 4
            i32.reinterpret_f32
            i32.const 0
            i32.xor
            global.set 4
          end
        end
        i32.reinterpret_f32
        global.get 4
        i32.xor
        global.set 4
        global.get 2
        v128.xor
        global.set 2
        f32.const 0x1.51a726p-51 (;=0.00000000000000058573445;)
        f32.const 0x1.3e27acp-13 (;=0.00015170811;)
        f64.const -nan (;=NaN;)
      else
        f32.const 0x1.06cb7cp+5 (;=32.849358;)
        f32.const -0x1.aa86cep+60 (;=-1920905000000000000;)
        f64.const -nan:0xfffffefffffff (;=NaN;)
      end
      i64.reinterpret_f64
      global.get 3
      i64.xor
      global.set 3
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      i32.const -1237186270
    else
      i32.const 0
    end
    global.get 5
    i32.xor
    global.set 5
    global.get 1
    i64.xor
    global.set 1
    i32.reinterpret_f32
    global.get 4
    i32.xor
    global.set 4
    i32.reinterpret_f32
    global.get 4
    i32.xor
    global.set 4
    global.get 5
    i32.xor
    global.set 5
    global.get 5
    i32.xor
    global.set 5
    f32.const 0x1.aaaaaap+43 (;=14660155000000;)
    f32.const 0x1.p-136 (;=0.00000000000000000000000000000000000000001148;)
    f64.const -nan:0xffffffff00000 (;=NaN;)
  )
  (func (;1;) (type 0) (result f32 f32 f64)
    unreachable
  )
)
