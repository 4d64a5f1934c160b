/**
 * Min-cost flow by successive shortest paths with node potentials, on typed arrays.
 *
 * Shaped for batch assignment (docs/decisions/014-batch-assignment.md): demand arrives one unit at
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
  /** Forward arcs by head: the arcs u→v a backward search from v may use while unsaturated. */
  private inStart: Int32Array = new Int32Array(0)
  private inArcs: Int32Array = new Int32Array(0)
  /**
   * Per node, a doubly linked list of its outgoing forward arcs that carry flow: their reverses are
   * the only other arcs entering the node in the residual graph. An expert with 130 candidate
   * cases carries flow on at most its capacity, so its scan costs a few steps, not 130.
   */
  private flowHead: Int32Array = new Int32Array(0)
  private flowNext: Int32Array = new Int32Array(0)
  private flowPrev: Int32Array = new Int32Array(0)
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

  /** Builds the in-arc index once all arcs are in. */
  finalize(): void {
    const n = this.nodeCount
    const slots = this.arcSlots
    const start = new Int32Array(n + 1)
    for (let a = 0; a < slots; a += 2) start[this.arcTo[a]! + 1]!++
    for (let v = 0; v < n; v++) start[v + 1] = start[v + 1]! + start[v]!
    const fill = start.slice(0, n)
    const arcs = new Int32Array(slots >> 1)
    for (let a = 0; a < slots; a += 2) arcs[fill[this.arcTo[a]!]!++] = a
    this.inStart = start
    this.inArcs = arcs
    this.flowHead = new Int32Array(n).fill(-1)
    this.flowNext = new Int32Array(slots >> 1).fill(-1)
    this.flowPrev = new Int32Array(slots >> 1).fill(-1)
    // Arcs added with flow already on them do not exist (addArc starts empty), so the lists start empty.
    // Lazy-deletion heap: at most one push per relaxation, plus the start.
    this.heapKey = new Float64Array(slots + 1)
    this.heapNode = new Int32Array(slots + 1)
    this.finalized = true
  }

  private linkFlow(a: number): void {
    const tail = this.arcTo[a ^ 1]!
    const i = a >> 1
    const head = this.flowHead[tail]!
    this.flowNext[i] = head
    this.flowPrev[i] = -1
    if (head >= 0) this.flowPrev[head >> 1] = a
    this.flowHead[tail] = a
  }

  private unlinkFlow(a: number): void {
    const tail = this.arcTo[a ^ 1]!
    const i = a >> 1
    const prev = this.flowPrev[i]!
    const next = this.flowNext[i]!
    if (prev >= 0) this.flowNext[prev >> 1] = next
    else this.flowHead[tail] = next
    if (next >= 0) this.flowPrev[next >> 1] = prev
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
    const { arcTo, arcRes, arcCost, inStart, inArcs, flowHead, flowNext, potential, dist, nextArc, seen, settled, heapKey, heapNode } = this
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
      // Residual arcs entering v: unsaturated forward arcs u→v …
      for (let k = inStart[v]!, end = inStart[v + 1]!; k < end; k++) {
        const a = inArcs[k]!
        if (arcRes[a]! <= 0) continue
        const u = arcTo[a ^ 1]!
        if (settled[u] === stamp) continue
        const nd = d + arcCost[a]! + potential[u]! - pv
        if (seen[u] !== stamp || nd < dist[u]!) {
          seen[u] = stamp
          dist[u] = nd
          nextArc[u] = a
          push(nd, u)
        }
      }
      // … and the reverses of v's forward arcs that carry flow (v→w with flow gives w→v).
      for (let a = flowHead[v]!; a >= 0; a = flowNext[a >> 1]!) {
        const r = a ^ 1
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
      if ((r & 1) === 0) {
        // Forward: flow on r goes up; it joins its tail's list when it starts carrying flow.
        if (arcRes[r ^ 1] === 0) this.linkFlow(r)
      } else if (arcRes[r] === 1) {
        // Reverse: the forward arc r^1 gives back its last unit of flow.
        this.unlinkFlow(r ^ 1)
      }
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
