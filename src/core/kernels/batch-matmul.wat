;; Matrix products for the tfjs wasm backend, in WebAssembly SIMD.
;;
;; tfjs' wasm BatchMatMul hands a product to XNNPACK only when the batch holds
;; one matrix and nothing is transposed, and XNNPACK then repacks the right-hand
;; matrix on every call, because in training it is new every step. Everything
;; else (attention's [H*B, L, L] x [H*B, L, dh] products, every transposed
;; product in a backward pass) runs in a scalar loop at about 2 GFLOP/s. This
;; kernel does all of them four lanes at a time, in place in tfjs' memory.
;;
;; Pointers and strides are in bytes; b and out are row-major.
;;
;;   bmm(a, b, out, batch, m, k, n, aRow, aCol, add):   out[p] (+)= a[p] @ b[p]
;;     a [m,k] with a[i,kk] at a + p*m*k*4 + i*aRow + kk*aCol (so a may be
;;     stored transposed), b [k,n], out [m,n]. n must be a multiple of 4 and
;;     k at least 1 (the caller checks). With add set, the product is added to
;;     what out holds, so a long k can be done in slices that stay in cache.
;;   transpose(src, dst, batch, rows, cols):   dst[p] = src[p]^T
;;
;; Rows of out are made two at a time, so each row of b is loaded once for
;; both, and sixteen columns at a time (four accumulators a row).
(module
  (import "env" "memory" (memory 0))

  (func (export "bmm")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aRow i32) (param $aCol i32) (param $add i32)
    (local $rowB i32)  ;; bytes in a row of b and of out: 4n
    (local $p i32) (local $i i32) (local $j i32) (local $kk i32)
    (local $arow i32) (local $orow i32) (local $ap i32) (local $bp i32)
    (local $s0 v128) (local $s1 v128) (local $w v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $matrix
      (br_if $done (i32.ge_u (local.get $p) (local.get $batch)))
      (local.set $i (i32.const 0))

      ;; Rows i and i+1 together.
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $orow (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowB))))
        (local.set $j (i32.const 0))
        (block $wideDone (loop $wide
          (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowB)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (if (local.get $add)
            (then
              (local.set $x0 (v128.load offset=0 (local.get $bp))) (local.set $x1 (v128.load offset=16 (local.get $bp)))
              (local.set $x2 (v128.load offset=32 (local.get $bp))) (local.set $x3 (v128.load offset=48 (local.get $bp)))
              (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
              (local.set $y0 (v128.load offset=0 (local.get $bp))) (local.set $y1 (v128.load offset=16 (local.get $bp)))
              (local.set $y2 (v128.load offset=32 (local.get $bp))) (local.set $y3 (v128.load offset=48 (local.get $bp))))
            (else
            (local.set $x0 (v128.const i32x4 0 0 0 0)) (local.set $x1 (v128.const i32x4 0 0 0 0))
            (local.set $x2 (v128.const i32x4 0 0 0 0)) (local.set $x3 (v128.const i32x4 0 0 0 0))
            (local.set $y0 (v128.const i32x4 0 0 0 0)) (local.set $y1 (v128.const i32x4 0 0 0 0))
            (local.set $y2 (v128.const i32x4 0 0 0 0)) (local.set $y3 (v128.const i32x4 0 0 0 0))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $s0 (v128.load32_splat (local.get $ap)))
            (local.set $s1 (v128.load32_splat (i32.add (local.get $ap) (local.get $aRow))))
            (local.set $w (v128.load offset=0 (local.get $bp)))
            (local.set $x0 (f32x4.add (local.get $x0) (f32x4.mul (local.get $s0) (local.get $w))))
            (local.set $y0 (f32x4.add (local.get $y0) (f32x4.mul (local.get $s1) (local.get $w))))
            (local.set $w (v128.load offset=16 (local.get $bp)))
            (local.set $x1 (f32x4.add (local.get $x1) (f32x4.mul (local.get $s0) (local.get $w))))
            (local.set $y1 (f32x4.add (local.get $y1) (f32x4.mul (local.get $s1) (local.get $w))))
            (local.set $w (v128.load offset=32 (local.get $bp)))
            (local.set $x2 (f32x4.add (local.get $x2) (f32x4.mul (local.get $s0) (local.get $w))))
            (local.set $y2 (f32x4.add (local.get $y2) (f32x4.mul (local.get $s1) (local.get $w))))
            (local.set $w (v128.load offset=48 (local.get $bp)))
            (local.set $x3 (f32x4.add (local.get $x3) (f32x4.mul (local.get $s0) (local.get $w))))
            (local.set $y3 (f32x4.add (local.get $y3) (f32x4.mul (local.get $s1) (local.get $w))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store offset=0 (local.get $bp) (local.get $x0))
          (v128.store offset=16 (local.get $bp) (local.get $x1))
          (v128.store offset=32 (local.get $bp) (local.get $x2))
          (v128.store offset=48 (local.get $bp) (local.get $x3))
          (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
          (v128.store offset=0 (local.get $bp) (local.get $y0))
          (v128.store offset=16 (local.get $bp) (local.get $y1))
          (v128.store offset=32 (local.get $bp) (local.get $y2))
          (v128.store offset=48 (local.get $bp) (local.get $y3))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $wide)))
        (block $narrowDone (loop $narrow
          (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $rowB)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (local.set $x0 (v128.const i32x4 0 0 0 0)) (local.set $y0 (v128.const i32x4 0 0 0 0))
          (if (local.get $add) (then
            (local.set $x0 (v128.load (local.get $bp)))
            (local.set $y0 (v128.load (i32.add (local.get $bp) (local.get $rowB))))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $w (v128.load (local.get $bp)))
            (local.set $x0 (f32x4.add (local.get $x0) (f32x4.mul (v128.load32_splat (local.get $ap)) (local.get $w))))
            (local.set $y0 (f32x4.add (local.get $y0)
              (f32x4.mul (v128.load32_splat (i32.add (local.get $ap) (local.get $aRow))) (local.get $w))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store (local.get $bp) (local.get $x0))
          (v128.store (i32.add (local.get $bp) (local.get $rowB)) (local.get $y0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $narrow)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))

      ;; The last row when m is odd, sixteen then four columns at a time.
      (if (i32.lt_u (local.get $i) (local.get $m)) (then
        (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $orow (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowB))))
        (local.set $j (i32.const 0))
        (block $wideDone (loop $wide
          (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowB)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (if (local.get $add)
            (then
              (local.set $x0 (v128.load offset=0 (local.get $bp))) (local.set $x1 (v128.load offset=16 (local.get $bp)))
              (local.set $x2 (v128.load offset=32 (local.get $bp))) (local.set $x3 (v128.load offset=48 (local.get $bp))))
            (else
            (local.set $x0 (v128.const i32x4 0 0 0 0)) (local.set $x1 (v128.const i32x4 0 0 0 0))
            (local.set $x2 (v128.const i32x4 0 0 0 0)) (local.set $x3 (v128.const i32x4 0 0 0 0))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $s0 (v128.load32_splat (local.get $ap)))
            (local.set $x0 (f32x4.add (local.get $x0) (f32x4.mul (local.get $s0) (v128.load offset=0 (local.get $bp)))))
            (local.set $x1 (f32x4.add (local.get $x1) (f32x4.mul (local.get $s0) (v128.load offset=16 (local.get $bp)))))
            (local.set $x2 (f32x4.add (local.get $x2) (f32x4.mul (local.get $s0) (v128.load offset=32 (local.get $bp)))))
            (local.set $x3 (f32x4.add (local.get $x3) (f32x4.mul (local.get $s0) (v128.load offset=48 (local.get $bp)))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (local.set $bp (i32.add (local.get $orow) (local.get $j)))
          (v128.store offset=0 (local.get $bp) (local.get $x0))
          (v128.store offset=16 (local.get $bp) (local.get $x1))
          (v128.store offset=32 (local.get $bp) (local.get $x2))
          (v128.store offset=48 (local.get $bp) (local.get $x3))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $wide)))
        (block $narrowDone (loop $narrow
          (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $rowB)))
          (local.set $x0 (v128.const i32x4 0 0 0 0))
          (if (local.get $add) (then (local.set $x0 (v128.load (i32.add (local.get $orow) (local.get $j))))))
          (local.set $ap (local.get $arow))
          (local.set $bp (i32.add (local.get $b) (local.get $j)))
          (local.set $kk (local.get $k))
          (loop $dot
            (local.set $x0 (f32x4.add (local.get $x0)
              (f32x4.mul (v128.load32_splat (local.get $ap)) (v128.load (local.get $bp)))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aCol)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br_if $dot (local.get $kk)))
          (v128.store (i32.add (local.get $orow) (local.get $j)) (local.get $x0))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $narrow)))))

      (local.set $a (i32.add (local.get $a) (i32.mul (local.get $m) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $b (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $rowB))))
      (local.set $out (i32.add (local.get $out) (i32.mul (local.get $m) (local.get $rowB))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $matrix))))

  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $p i32) (local $r i32) (local $c i32) (local $d i32) (local $step i32)
    (local.set $step (i32.shl (local.get $rows) (i32.const 2)))
    (block $done (loop $matrix
      (br_if $done (i32.ge_u (local.get $p) (local.get $batch)))
      (local.set $r (i32.const 0))
      (block $rowsDone (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; src row r becomes dst column r.
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $colsDone (loop $col
          (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
          (f32.store (local.get $d) (f32.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 4)))
          (local.set $d (i32.add (local.get $d) (local.get $step)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $col)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $step) (local.get $cols))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $matrix))))
)
