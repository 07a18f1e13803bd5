;; Dropout's multiply, alone or into a residual sum, for the tfjs wasm backend.
;; Pointers are in bytes; every array holds n float32 values, n a multiple of 4.
;;
;;   apply(x, keep, out, n):          out = x * keep
;;   addApplied(h, x, keep, out, n):  out = h + x * keep
;;
;; A multiply then an add, each rounded, as tfjs' Mul and Add kernels did
;; them: the same bits in one pass instead of two launches and two passes.
(module
  (import "env" "memory" (memory 0))

  (func (export "apply") (param $x i32) (param $keep i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store (i32.add (local.get $out) (local.get $i))
        (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (v128.load (i32.add (local.get $keep) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $each))))

  (func (export "addApplied") (param $h i32) (param $x i32) (param $keep i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store (i32.add (local.get $out) (local.get $i))
        (f32x4.add (v128.load (i32.add (local.get $h) (local.get $i)))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (v128.load (i32.add (local.get $keep) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $each))))
)
