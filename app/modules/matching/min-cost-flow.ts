/**
 * Min-cost flow by successive shortest paths with node potentials, on typed arrays.
 *
 * Shaped for batch assignment (docs/decisions/010-batch-assignment.md): demand arrives one unit at
 * a time at a chosen node (a case's slot), and each unit is routed along a shortest path from the
 * source, found by Dijkstra run *backwards* from that node with reduced costs. Searching from the
 * slot rather than from the source matters: the source touches every expert, while one case sees
 * only its few hundred candidates, and the search stops as soon as the source is settled, so an
 * uncontested slot costs a few hundred heap operations however large the pool.
 *
 * Invariant (why the result is optimal): with potentials p, every residual arc u→v has reduced
 * cost c(u,v) + p(u) − p(v) ≥ 0. It holds at the start (all costs ≥ 0, p = 0). After a search
 * from target t with backward distances b (capped at D = b(source) for nodes not settled), setting
 * p'(v) = p(v) − min(b(v), D) keeps every reduced cost ≥ 0 and makes the path's arcs tight, so
 * augmenting along it creates only zero-cost reverse arcs. A flow with no negative residual cycle
 * is a min-cost flow for its demands; each augmentation therefore keeps the flow optimal for the
 * demands placed so far.
 *
 * Costs must be integers (exactly representable doubles): comparisons are exact, so the result is
 * reproducible and independent of floating-point rounding.
 */

export class MinCostFlow {
  readonly nodeCount: number
  private readonly arcTo: Int32Array
  /** Residual capacity of each arc slot (forward arcs even, their reverse odd). */
  private readonly arcRes: Int32Array
  private readonly arcCost: Float64Array
  private arcSlots = 0
  private adjStart: Int32Array = new Int32Array(0)
  private adjArcs: Int32Array = new Int32Array(0)
  private finalized = false

  /** Potentials (only differences matter; they only ever grow). */
  private readonly potential: Float64Array
  private readonly dist: Float64Array
  private readonly nextArc: Int32Array
  private readonly seen: Int32Array
  private readonly settled: Int32Array
  private stamp = 0
  private settledList: Int32Array
  private heapKey: Float64Array = new Float64Array(0)
  private heapNode: Int32Array = new Int32Array(0)

  /** Statistics for reports. */
  searches = 0
  settledTotal = 0

  constructor(nodeCount: number, maxArcs: number) {
    this.nodeCount = nodeCount
    this.arcTo = new Int32Array(2 * maxArcs)
    this.arcRes = new Int32Array(2 * maxArcs)
    this.arcCost = new Float64Array(2 * maxArcs)
    this.potential = new Float64Array(nodeCount)
    this.dist = new Float64Array(nodeCount)
    this.nextArc = new Int32Array(nodeCount)
    this.seen = new Int32Array(nodeCount)
    this.settled = new Int32Array(nodeCount)
    this.settledList = new Int32Array(nodeCount)
  }

  get arcCount(): number {
    return this.arcSlots >> 1
  }

  /** Adds from→to with capacity and (integer, ≥ 0) cost; returns the arc id. */
  addArc(from: number, to: number, capacity: number, cost: number): number {
    if (this.finalized) throw new Error('MinCostFlow: arcs added after finalize()')
    if (cost < 0 || !Number.isInteger(cost)) throw new Error(`MinCostFlow: cost must be a non-negative integer, got ${cost}`)
    const a = this.arcSlots
    this.arcTo[a] = to
    this.arcRes[a] = capacity
    this.arcCost[a] = cost
    this.arcTo[a + 1] = from
    this.arcRes[a + 1] = 0
    this.arcCost[a + 1] = -cost
    this.arcSlots += 2
    return a
  }

  /** Builds the adjacency (compressed, by tail) once all arcs are in. */
  finalize(): void {
    const n = this.nodeCount
    const slots = this.arcSlots
    const start = new Int32Array(n + 1)
    for (let a = 0; a < slots; a++) start[this.arcTo[a ^ 1]! + 1]!++
    for (let v = 0; v < n; v++) start[v + 1] = start[v + 1]! + start[v]!
    const fill = start.slice(0, n)
    const arcs = new Int32Array(slots)
    for (let a = 0; a < slots; a++) {
      const tail = this.arcTo[a ^ 1]!
      arcs[fill[tail]!++] = a
    }
    this.adjStart = start
    this.adjArcs = arcs
    // Lazy-deletion heap: at most one push per relaxation, plus the start.
    this.heapKey = new Float64Array(slots + 1)
    this.heapNode = new Int32Array(slots + 1)
    this.finalized = true
  }

  /** A node's potential (for optimality certificates: only differences matter). */
  potentialOf(node: number): number {
    return this.potential[node]!
  }

  /** Units of flow on a forward arc. */
  flow(arc: number): number {
    return this.arcRes[arc ^ 1]!
  }

  /**
   * Routes one unit from `source` to `target` along a cheapest residual path. Returns the path's
   * cost, or null when `target` cannot be reached (nothing changes then).
   */
  augment(source: number, target: number): number | null {
    if (!this.finalized) this.finalize()
    const stamp = ++this.stamp
    this.searches++
    const { arcTo, arcRes, arcCost, adjStart, adjArcs, potential, dist, nextArc, seen, settled, heapKey, heapNode } = this
    let heapSize = 0
    let settledCount = 0

    const push = (key: number, node: number) => {
      let i = heapSize++
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (heapKey[parent]! <= key) break
        heapKey[i] = heapKey[parent]!
        heapNode[i] = heapNode[parent]!
        i = parent
      }
      heapKey[i] = key
      heapNode[i] = node
    }

    dist[target] = 0
    seen[target] = stamp
    push(0, target)
    let reached = false
    while (heapSize > 0) {
      // Pop the minimum.
      const d = heapKey[0]!
      const v = heapNode[0]!
      heapSize--
      if (heapSize > 0) {
        const key = heapKey[heapSize]!
        const node = heapNode[heapSize]!
        let i = 0
        for (;;) {
          let child = 2 * i + 1
          if (child >= heapSize) break
          if (child + 1 < heapSize && heapKey[child + 1]! < heapKey[child]!) child++
          if (heapKey[child]! >= key) break
          heapKey[i] = heapKey[child]!
          heapNode[i] = heapNode[child]!
          i = child
        }
        heapKey[i] = key
        heapNode[i] = node
      }
      if (settled[v] === stamp || d > dist[v]!) continue
      settled[v] = stamp
      this.settledList[settledCount++] = v
      if (v === source) {
        reached = true
        break
      }
      const pv = potential[v]!
      // Arcs entering v in the residual graph are the partners of v's outgoing arc slots.
      for (let k = adjStart[v]!, end = adjStart[v + 1]!; k < end; k++) {
        const a = adjArcs[k]!
        const r = a ^ 1
        if (arcRes[r]! <= 0) continue
        const u = arcTo[a]!
        if (settled[u] === stamp) continue
        const nd = d + arcCost[r]! + potential[u]! - pv
        if (seen[u] !== stamp || nd < dist[u]!) {
          seen[u] = stamp
          dist[u] = nd
          nextArc[u] = r
          push(nd, u)
        }
      }
    }
    this.settledTotal += settledCount
    if (!reached) return null

    // Potentials: p'(v) = p(v) − min(b(v), D); a uniform −D is dropped, so only settled nodes move.
    const D = dist[source]!
    for (let i = 0; i < settledCount; i++) {
      const v = this.settledList[i]!
      potential[v]! += D - dist[v]!
    }
    // Augment along source → … → target.
    let cost = 0
    let u = source
    while (u !== target) {
      const r = nextArc[u]!
      arcRes[r]!--
      arcRes[r ^ 1]!++
      cost += arcCost[r]!
      u = arcTo[r]!
    }
    return cost
  }

  /** Reduced-cost check of the optimality invariant (tests): every residual arc has rc ≥ 0. */
  checkPotentials(): boolean {
    for (let a = 0; a < this.arcSlots; a++) {
      if (this.arcRes[a]! <= 0) continue
      const from = this.arcTo[a ^ 1]!
      const to = this.arcTo[a]!
      if (this.arcCost[a]! + this.potential[from]! - this.potential[to]! < 0) return false
    }
    return true
  }
}
