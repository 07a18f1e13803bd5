;; PyTorch's AdamW step for the tfjs wasm backend, one pass over each
;; parameter instead of a dozen tfjs kernels each (about 500 a step).
;;
;; Pointers are in bytes; every array holds n float32 values.
;;
;;   sumSquares(x, n) -> f64:   sum of x[i]^2, in float64 (the gradient norm's
;;     sum: float64 keeps 156k squares as exact as PyTorch's pairwise sums).
;;
;;   step(g, p, m, v, pOut, mOut, vOut, n, coef, beta1, oneMinusBeta1, beta2,
;;        oneMinusBeta2, bc2Sqrt, eps, decay, stepSize) -> i32:
;;     g' = g * coef                                  (gradient clipping)
;;     mOut = m * beta1 + g' * oneMinusBeta1
;;     vOut = v * beta2 + (g' * g') * oneMinusBeta2
;;     pOut = p * decay - (mOut / (sqrt(vOut) / bc2Sqrt + eps)) * stepSize
;;   with decay = 1 - lr * weightDecay and stepSize = lr / (1 - beta1^t): the
;;   same float32 operations in the same order as the tfjs ops in optim.ts, so
;;   both give the same bits. Returns 1 when every pOut is finite, else 0.
(module
  (import "env" "memory" (memory 0))

  (func (export "sumSquares") (param $x i32) (param $n i32) (result f64)
    (local $end i32) (local $w v128) (local $lo v128) (local $hi v128) (local $s f64) (local $e f64)
    (local.set $lo (v128.const f64x2 0 0))
    (local.set $hi (v128.const f64x2 0 0))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $w (v128.load (local.get $x)))
      (local.set $lo (f64x2.add (local.get $lo)
        (f64x2.mul (f64x2.promote_low_f32x4 (local.get $w)) (f64x2.promote_low_f32x4 (local.get $w)))))
      (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
      (local.set $hi (f64x2.add (local.get $hi)
        (f64x2.mul (f64x2.promote_low_f32x4 (local.get $w)) (f64x2.promote_low_f32x4 (local.get $w)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $four)))
    (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
    ;; The last n mod 4 values.
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $e (f64.promote_f32 (f32.load (local.get $x))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $tail)))
    (local.get $s))

  (func (export "step")
    (param $g i32) (param $p i32) (param $m i32) (param $v i32)
    (param $pOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $coef f32) (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $bc2Sqrt f32) (param $eps f32) (param $decay f32) (param $stepSize f32)
    (result i32)
    (local $i i32) (local $end i32)
    (local $G v128) (local $M v128) (local $V v128) (local $P v128) (local $check v128)
    (local $cCoef v128) (local $cB1 v128) (local $c1B1 v128) (local $cB2 v128) (local $c1B2 v128)
    (local $cBc2 v128) (local $cEps v128) (local $cDecay v128) (local $cStep v128)
    (local.set $cCoef (f32x4.splat (local.get $coef)))
    (local.set $cB1 (f32x4.splat (local.get $beta1)))
    (local.set $c1B1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $cB2 (f32x4.splat (local.get $beta2)))
    (local.set $c1B2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $cBc2 (f32x4.splat (local.get $bc2Sqrt)))
    (local.set $cEps (f32x4.splat (local.get $eps)))
    (local.set $cDecay (f32x4.splat (local.get $decay)))
    (local.set $cStep (f32x4.splat (local.get $stepSize)))
    (local.set $check (v128.const f32x4 0 0 0 0))
    (local.set $end (i32.shl (local.get $n) (i32.const 2))) ;; bytes
    (block $done (loop $four
      (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      (local.set $G (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $i))) (local.get $cCoef)))
      (local.set $M (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $cB1))
        (f32x4.mul (local.get $G) (local.get $c1B1))))
      (local.set $V (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $cB2))
        (f32x4.mul (f32x4.mul (local.get $G) (local.get $G)) (local.get $c1B2))))
      (local.set $P (f32x4.sub
        (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $cDecay))
        (f32x4.mul
          (f32x4.div (local.get $M) (f32x4.add (f32x4.div (f32x4.sqrt (local.get $V)) (local.get $cBc2)) (local.get $cEps)))
          (local.get $cStep))))
      (v128.store (i32.add (local.get $mOut) (local.get $i)) (local.get $M))
      (v128.store (i32.add (local.get $vOut) (local.get $i)) (local.get $V))
      (v128.store (i32.add (local.get $pOut) (local.get $i)) (local.get $P))
      ;; P - P is 0 for a finite P and NaN otherwise; NaN stays in the sum.
      (local.set $check (f32x4.add (local.get $check) (f32x4.sub (local.get $P) (local.get $P))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $four)))
    ;; The last n mod 4 values, one at a time, in the same float32 steps.
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $G (f32x4.mul (v128.load32_splat (i32.add (local.get $g) (local.get $i))) (local.get $cCoef)))
      (local.set $M (f32x4.add
        (f32x4.mul (v128.load32_splat (i32.add (local.get $m) (local.get $i))) (local.get $cB1))
        (f32x4.mul (local.get $G) (local.get $c1B1))))
      (local.set $V (f32x4.add
        (f32x4.mul (v128.load32_splat (i32.add (local.get $v) (local.get $i))) (local.get $cB2))
        (f32x4.mul (f32x4.mul (local.get $G) (local.get $G)) (local.get $c1B2))))
      (local.set $P (f32x4.sub
        (f32x4.mul (v128.load32_splat (i32.add (local.get $p) (local.get $i))) (local.get $cDecay))
        (f32x4.mul
          (f32x4.div (local.get $M) (f32x4.add (f32x4.div (f32x4.sqrt (local.get $V)) (local.get $cBc2)) (local.get $cEps)))
          (local.get $cStep))))
      (v128.store32_lane 0 (i32.add (local.get $mOut) (local.get $i)) (local.get $M))
      (v128.store32_lane 0 (i32.add (local.get $vOut) (local.get $i)) (local.get $V))
      (v128.store32_lane 0 (i32.add (local.get $pOut) (local.get $i)) (local.get $P))
      (local.set $check (f32x4.add (local.get $check) (f32x4.sub (local.get $P) (local.get $P))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
    ;; All four lanes of the check are 0 exactly when every value was finite.
    (i32x4.all_true (f32x4.eq (local.get $check) (v128.const f32x4 0 0 0 0))))
)
