;; Layer norm over the last axis, forward and backward, for the tfjs wasm
;; backend: one pass a row instead of nine tfjs kernels forward and a dozen
;; backward. PyTorch's LayerNorm: biased variance, eps inside the square root.
;;
;; Pointers are in bytes; x, y, dy, dx are [rows, d] row-major, d a multiple of 4.
;;
;;   forward(x, gamma, beta, y, rows, d, eps): for each row r,
;;     mean = sum_i x[r,i] / d
;;     rstd = 1 / sqrt(sum_i (x[r,i] - mean)^2 / d + eps)
;;     y[r,i] = (x[r,i] - mean) * rstd * gamma[i] + beta[i]
;;   backward(dy, x, gamma, dx, dgamma, dbeta, rows, d, eps):
;;     mean and rstd again (the same float32 steps: cheaper than keeping
;;     them), then with xhat = (x - mean) * rstd and g = dy * gamma, each row
;;     dx = rstd * (g - mean_i(g) - xhat * mean_i(g * xhat)),
;;     and over all rows dgamma = sum dy * xhat, dbeta = sum dy.
(module
  (import "env" "memory" (memory 0))

  ;; Sum of the four lanes.
  (func $lanes (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; A row's mean and 1 / sqrt(variance + eps).
  (func $moments (param $x i32) (param $rowB i32) (param $d i32) (param $eps f32) (result f32 f32)
    (local $i i32) (local $acc v128) (local $c v128) (local $mu f32) (local $vmu v128)
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (block $summed (loop $sum
      (br_if $summed (i32.ge_u (local.get $i) (local.get $rowB)))
      (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $sum)))
    (local.set $mu (f32.div (call $lanes (local.get $acc)) (f32.convert_i32_u (local.get $d))))
    (local.set $vmu (f32x4.splat (local.get $mu)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $i (i32.const 0))
    (block $squared (loop $square
      (br_if $squared (i32.ge_u (local.get $i) (local.get $rowB)))
      (local.set $c (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmu)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $c) (local.get $c))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $square)))
    (local.get $mu)
    (f32.div (f32.const 1)
      (f32.sqrt (f32.add (f32.div (call $lanes (local.get $acc)) (f32.convert_i32_u (local.get $d))) (local.get $eps)))))

  (func (export "forward")
    (param $x i32) (param $gamma i32) (param $beta i32) (param $y i32) (param $rows i32) (param $d i32) (param $eps f32)
    (local $rowB i32) (local $r i32) (local $i i32) (local $c v128) (local $s f32) (local $vmu v128) (local $vs v128)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 2)))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (call $moments (local.get $x) (local.get $rowB) (local.get $d) (local.get $eps))
      (local.set $vs (f32x4.splat))
      (local.set $vmu (f32x4.splat))
      ;; y = xhat * gamma + beta.
      (local.set $i (i32.const 0))
      (block $written (loop $write
        (br_if $written (i32.ge_u (local.get $i) (local.get $rowB)))
        (local.set $c (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmu)) (local.get $vs)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.add (f32x4.mul (local.get $c) (v128.load (i32.add (local.get $gamma) (local.get $i))))
            (v128.load (i32.add (local.get $beta) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $write)))
      (local.set $x (i32.add (local.get $x) (local.get $rowB)))
      (local.set $y (i32.add (local.get $y) (local.get $rowB)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  (func (export "backward")
    (param $dy i32) (param $x i32) (param $gamma i32)
    (param $dx i32) (param $dgamma i32) (param $dbeta i32) (param $rows i32) (param $d i32) (param $eps f32)
    (local $rowB i32) (local $r i32) (local $i i32)
    (local $vmu v128) (local $vs v128) (local $xhat v128) (local $g v128) (local $e v128)
    (local $sumG v128) (local $sumGX v128) (local $a v128) (local $b v128) (local $inv f32)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 2)))
    (local.set $inv (f32.div (f32.const 1) (f32.convert_i32_u (local.get $d))))
    ;; dgamma and dbeta gather over the rows: start them at zero.
    (block $zeroed (loop $zero
      (br_if $zeroed (i32.ge_u (local.get $i) (local.get $rowB)))
      (v128.store (i32.add (local.get $dgamma) (local.get $i)) (v128.const f32x4 0 0 0 0))
      (v128.store (i32.add (local.get $dbeta) (local.get $i)) (v128.const f32x4 0 0 0 0))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $zero)))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (call $moments (local.get $x) (local.get $rowB) (local.get $d) (local.get $eps))
      (local.set $vs (f32x4.splat))
      (local.set $vmu (f32x4.splat))
      ;; First pass: the row's sums of g and g * xhat, and the parameter gradients.
      (local.set $sumG (v128.const f32x4 0 0 0 0))
      (local.set $sumGX (v128.const f32x4 0 0 0 0))
      (local.set $i (i32.const 0))
      (block $summed (loop $sum
        (br_if $summed (i32.ge_u (local.get $i) (local.get $rowB)))
        (local.set $xhat (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmu)) (local.get $vs)))
        (local.set $e (v128.load (i32.add (local.get $dy) (local.get $i))))
        (local.set $g (f32x4.mul (local.get $e) (v128.load (i32.add (local.get $gamma) (local.get $i)))))
        (local.set $sumG (f32x4.add (local.get $sumG) (local.get $g)))
        (local.set $sumGX (f32x4.add (local.get $sumGX) (f32x4.mul (local.get $g) (local.get $xhat))))
        (v128.store (i32.add (local.get $dgamma) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dgamma) (local.get $i))) (f32x4.mul (local.get $e) (local.get $xhat))))
        (v128.store (i32.add (local.get $dbeta) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dbeta) (local.get $i))) (local.get $e)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $sum)))
      (local.set $a (f32x4.splat (f32.mul (call $lanes (local.get $sumG)) (local.get $inv))))
      (local.set $b (f32x4.splat (f32.mul (call $lanes (local.get $sumGX)) (local.get $inv))))
      ;; Second pass: dx.
      (local.set $i (i32.const 0))
      (block $written (loop $write
        (br_if $written (i32.ge_u (local.get $i) (local.get $rowB)))
        (local.set $xhat (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmu)) (local.get $vs)))
        (local.set $g (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i))) (v128.load (i32.add (local.get $gamma) (local.get $i)))))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (f32x4.mul (local.get $vs)
            (f32x4.sub (f32x4.sub (local.get $g) (local.get $a)) (f32x4.mul (local.get $xhat) (local.get $b)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $write)))
      (local.set $x (i32.add (local.get $x) (local.get $rowB)))
      (local.set $dy (i32.add (local.get $dy) (local.get $rowB)))
      (local.set $dx (i32.add (local.get $dx) (local.get $rowB)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))
)
