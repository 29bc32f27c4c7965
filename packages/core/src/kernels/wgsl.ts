/**
 * WGSL source of the fused distance + top-k compute shader.
 *
 * One workgroup handles one query and one chunk of corpus rows. Each invocation walks the rows
 * `chunkStart + lid, + WG, …` (neighbouring invocations read neighbouring rows), computes the
 * metric directly — Σ(q − c)² for sqeuclidean, which has no cancellation in float32, or
 * −q·c/‖c‖ for cosine — and keeps its own sorted top-K in registers. The WG lists are then merged
 * pairwise in workgroup memory (log2 WG rounds of a K-step merge) and invocation 0 writes the
 * chunk's K best (key, global index) pairs. Ordering is lexicographic on (key, index) everywhere,
 * so ties go to the lower index exactly as on the CPU.
 *
 * @param K candidates kept per chunk (compile-time: private arrays need a constant size).
 * @param WG workgroup size (a power of two, with WG·K·8 bytes of workgroup memory).
 */
export function topKShader(K: number, WG: number): string {
  return /* wgsl */ `
struct Params {
  rows: u32,       // corpus rows in this tile
  d: u32,          // vector dimension
  chunk: u32,      // corpus rows per workgroup
  rowBase: u32,    // global index of the tile's first row
  cosine: u32,     // 1 for cosine, 0 for sqeuclidean
  numChunks: u32,  // chunks in this tile (workgroups along x)
  queryBase: u32,  // first query of this dispatch (queries along y)
  pad: u32,
};

@group(0) @binding(0) var<storage, read> Q: array<f32>;
@group(0) @binding(1) var<storage, read> C: array<f32>;
@group(0) @binding(2) var<storage, read> cinv: array<f32>;
@group(0) @binding(3) var<storage, read_write> outKey: array<f32>;
@group(0) @binding(4) var<storage, read_write> outIdx: array<u32>;
@group(0) @binding(5) var<uniform> P: Params;

const K: u32 = ${K}u;
const WG: u32 = ${WG}u;
const BIG: f32 = 3.4028234e38;
const NONE: u32 = 0xffffffffu;

var<workgroup> sk: array<f32, ${WG * K}>;
var<workgroup> si: array<u32, ${WG * K}>;

fn better(ka: f32, ia: u32, kb: f32, ib: u32) -> bool {
  return ka < kb || (ka == kb && ia < ib);
}

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let chunkId = wid.x;
  let qi = P.queryBase + wid.y;
  var bk: array<f32, ${K}>;
  var bi: array<u32, ${K}>;
  for (var s = 0u; s < K; s++) { bk[s] = BIG; bi[s] = NONE; }

  let start = chunkId * P.chunk;
  let end = min(start + P.chunk, P.rows);
  let qb = qi * P.d;
  for (var r = start + t; r < end; r += WG) {
    let cb = r * P.d;
    var key = 0.0;
    if (P.cosine == 0u) {
      for (var e = 0u; e < P.d; e++) {
        let diff = Q[qb + e] - C[cb + e];
        key += diff * diff;
      }
    } else {
      var dot = 0.0;
      for (var e = 0u; e < P.d; e++) { dot += Q[qb + e] * C[cb + e]; }
      key = -dot * cinv[r];
    }
    let gi = P.rowBase + r;
    if (better(key, gi, bk[K - 1u], bi[K - 1u])) {
      var p = K - 1u;
      loop {
        if (p == 0u) { break; }
        if (!better(key, gi, bk[p - 1u], bi[p - 1u])) { break; }
        bk[p] = bk[p - 1u];
        bi[p] = bi[p - 1u];
        p--;
      }
      bk[p] = key;
      bi[p] = gi;
    }
  }

  for (var s = 0u; s < K; s++) { sk[t * K + s] = bk[s]; si[t * K + s] = bi[s]; }
  workgroupBarrier();
  for (var stride = 1u; stride < WG; stride *= 2u) {
    if (t % (2u * stride) == 0u) {
      let a = t * K;
      let b = (t + stride) * K;
      var ia = 0u;
      var ib = 0u;
      for (var s = 0u; s < K; s++) {
        if (better(sk[a + ia], si[a + ia], sk[b + ib], si[b + ib])) {
          bk[s] = sk[a + ia]; bi[s] = si[a + ia]; ia++;
        } else {
          bk[s] = sk[b + ib]; bi[s] = si[b + ib]; ib++;
        }
      }
      for (var s = 0u; s < K; s++) { sk[a + s] = bk[s]; si[a + s] = bi[s]; }
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    let o = (wid.y * P.numChunks + chunkId) * K;
    for (var s = 0u; s < K; s++) { outKey[o + s] = sk[s]; outIdx[o + s] = si[s]; }
  }
}
`;
}
