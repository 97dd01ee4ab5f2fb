(module
  (func (export "f") (param externref) (result externref)
    local.get 0
    i32.const 0
    br_if 0
    br 0
    ref.null extern))
