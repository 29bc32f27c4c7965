// Quick start: pick a backend and say why.
import { ready, tf } from '@astro/core';

const info = await ready();
console.log(`backend: ${info.backend}${info.adapter ? ` (${info.adapter})` : ''}`);
for (const t of info.tried) console.log(`  tried ${t.backend}: ${t.ok ? 'ok' : t.reason} [${t.ms} ms]`);
const a = tf.randomNormal([256, 256], 0, 1, 'float32', 1);
const s = await tf.sum(tf.matMul(a, a)).data();
console.log(`sum(A·A) = ${s[0]!.toFixed(3)}`);
