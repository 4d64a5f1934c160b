import { describe, expect, it } from 'vitest'
import { prng } from './generate.ts'
import { MinCostFlow } from './min-cost-flow.ts'

describe('min-cost flow (successive shortest paths, backward Dijkstra, potentials)', () => {
  it('finds the cheapest transportation plan on hundreds of small random instances, as brute force does', () => {
    const rng = prng(2026)
    const BIG = 10_000
    for (let round = 0; round < 300; round++) {
      const m = 1 + Math.floor(rng() * 3)
      const n = 1 + Math.floor(rng() * 3)
      const supply = Array.from({ length: m }, () => Math.floor(rng() * 4))
      const demand = Array.from({ length: n }, () => Math.floor(rng() * 3))
      const cap = Array.from({ length: m }, () => Array.from({ length: n }, () => Math.floor(rng() * 3)))
      const cost = Array.from({ length: m }, () => Array.from({ length: n }, () => Math.floor(rng() * 50)))
      // Convex source costs: the j-th unit out of source i costs base·j.
      const base = Array.from({ length: m }, () => Math.floor(rng() * 10))

      // Network: 0 = S, 1..m sources, m+1..m+n sinks; a dummy S→sink arc of cost BIG per unit short.
      const net = new MinCostFlow(1 + m + n, m * 3 + m * n + n)
      supply.forEach((s, i) => {
        for (let j = 1; j <= s; j++) net.addArc(0, 1 + i, 1, base[i]! * j)
      })
      const arcs: number[][] = cap.map((row, i) => row.map((c, j) => net.addArc(1 + i, 1 + m + j, c, cost[i]![j]!)))
      demand.forEach((d, j) => net.addArc(0, 1 + m + j, d, BIG))
      let total = 0
      demand.forEach((d, j) => {
        for (let t = 0; t < d; t++) total += net.augment(0, 1 + m + j)!
      })
      expect(net.checkPotentials()).toBe(true)

      // Brute force over every integer flow on the source→sink arcs.
      let best = Number.POSITIVE_INFINITY
      const x = cap.map((row) => row.map(() => 0))
      const cells = m * n
      const walk = (k: number) => {
        if (k === cells) {
          let c = 0
          for (let i = 0; i < m; i++) {
            const out = x[i]!.reduce((a, b) => a + b, 0)
            if (out > supply[i]!) return
            c += (base[i]! * out * (out + 1)) / 2
          }
          for (let j = 0; j < n; j++) {
            let inflow = 0
            for (let i = 0; i < m; i++) {
              inflow += x[i]![j]!
              c += cost[i]![j]! * x[i]![j]!
            }
            if (inflow > demand[j]!) return
            c += BIG * (demand[j]! - inflow)
          }
          if (c < best) best = c
          return
        }
        const i = Math.floor(k / n)
        const j = k % n
        for (let v = 0; v <= cap[i]![j]!; v++) {
          x[i]![j] = v
          walk(k + 1)
        }
        x[i]![j] = 0
      }
      walk(0)
      expect(total).toBe(best)
      // Flows respect capacities.
      arcs.forEach((row, i) => row.forEach((a, j) => expect(net.flow(a)).toBeLessThanOrEqual(cap[i]![j]!)))
    }
  })

  it('reports an unreachable target without changing anything', () => {
    const net = new MinCostFlow(3, 1)
    net.addArc(0, 1, 1, 5)
    expect(net.augment(0, 2)).toBeNull()
    expect(net.augment(0, 1)).toBe(5)
    expect(net.augment(0, 1)).toBeNull()
  })

  it('refuses negative or fractional costs (potentials need integers ≥ 0)', () => {
    const net = new MinCostFlow(2, 2)
    expect(() => net.addArc(0, 1, 1, -1)).toThrow()
    expect(() => net.addArc(0, 1, 1, 0.5)).toThrow()
  })
})
