/**
 * The batch assignment as a linear programme (a MIP when integrality is asked for), in the sparse
 * column form HiGHS takes. Used two ways:
 * - as the solver when a case's rules are not laminar (flow cannot express them, see
 *   docs/decisions/014-batch-assignment.md), with binary pair variables;
 * - as an independent check of the flow solver: for laminar rules the constraint matrix is a
 *   network matrix, so the LP relaxation has an integral optimum equal to the flow's.
 *
 * Variables: x_p ∈ {0,1} per eligible (case, expert) pair; y_ej ∈ [0,1] for the j-th extra case of
 * expert e (convex marginal costs, so the LP fills them cheapest first and Σ_j y_ej = load exactly).
 * Rows: Σ_{p∈c} x_p ≤ k_c; Σ_{p∈c, expert lacks X_i} x_p ≤ k_c − r_i (per rule); Σ_{p∋e} x_p − Σ_j y_ej = 0.
 * Lexicographic objective in two stages: (1) max Σ x; (2) with Σ x ≥ F*, max Σ score·x − Σ cost·y.
 */
import type { BatchProblem } from './batch.ts'
import { marginalLoadUnits } from './score.ts'

export interface AssignmentModel {
  numCols: number
  numRows: number
  colLower: Float64Array
  colUpper: Float64Array
  rowLower: Float64Array
  rowUpper: Float64Array
  /** CSC matrix. */
  starts: Int32Array
  indices: Int32Array
  values: Float64Array
  /** 1 for the pair columns when solving as a MIP, else 0. */
  integrality: Int32Array
  /** Stage 1 costs (minimise): −1 per pair column. */
  fillCost: Float64Array
  /** Stage 2 costs (minimise): −score units per pair, + marginal load units per y. */
  valueCost: Float64Array
  /** Pair columns are [0, pairColumns). */
  pairColumns: number
}

export function buildAssignmentModel(problem: BatchProblem, integer: boolean): AssignmentModel {
  const { pairCase, pairExpert, pairScore, pairLack, cases, experts } = problem
  const P = pairCase.length

  // Rows: cases with pairs, their active rule sets, experts with pairs.
  const caseRow = new Int32Array(cases.length).fill(-1)
  const setRowStart = new Int32Array(cases.length)
  let rows = 0
  const rowLower: number[] = []
  const rowUpper: number[] = []
  cases.forEach((c, ci) => {
    if (c.pairEnd === c.pairStart) return
    caseRow[ci] = rows++
    rowLower.push(Number.NEGATIVE_INFINITY)
    rowUpper.push(c.kRemaining)
    setRowStart[ci] = rows
    for (const set of c.activeSets) {
      rows++
      rowLower.push(Number.NEGATIVE_INFINITY)
      rowUpper.push(set.bound)
    }
  })
  const pairsOf = new Int32Array(experts.length)
  for (let p = 0; p < P; p++) pairsOf[pairExpert[p]!]!++
  const expertRow = new Int32Array(experts.length).fill(-1)
  const loadCols: { e: number; j: number }[] = []
  for (let e = 0; e < experts.length; e++) {
    if (!pairsOf[e]) continue
    expertRow[e] = rows++
    rowLower.push(0)
    rowUpper.push(0)
    const extra = Math.min(problem.capRemaining[e]!, pairsOf[e]!)
    for (let j = 1; j <= extra; j++) loadCols.push({ e, j })
  }

  const numCols = P + loadCols.length
  const starts = new Int32Array(numCols + 1)
  const indices: number[] = []
  const values: number[] = []
  const fillCost = new Float64Array(numCols)
  const valueCost = new Float64Array(numCols)
  const integrality = new Int32Array(numCols)
  for (let p = 0; p < P; p++) {
    starts[p] = indices.length
    const ci = pairCase[p]!
    const c = cases[ci]!
    indices.push(caseRow[ci]!)
    values.push(1)
    c.activeSets.forEach((set, s) => {
      if (pairLack[p]! & (1 << set.bit)) {
        indices.push(setRowStart[ci]! + s)
        values.push(1)
      }
    })
    indices.push(expertRow[pairExpert[p]!]!)
    values.push(1)
    fillCost[p] = -1
    valueCost[p] = -pairScore[p]!
    integrality[p] = integer ? 1 : 0
  }
  loadCols.forEach(({ e, j }, i) => {
    const col = P + i
    starts[col] = indices.length
    indices.push(expertRow[e]!)
    values.push(-1)
    const expert = experts[e]!
    valueCost[col] = marginalLoadUnits(problem.loadBase[e]! + j, expert.maxConcurrentCases, problem.config)
  })
  starts[numCols] = indices.length

  return {
    numCols,
    numRows: rows,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    starts,
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
    integrality,
    fillCost,
    valueCost,
    pairColumns: P,
  }
}

export interface ModelSolveRequest {
  model: AssignmentModel
  timeLimitSeconds: number
}

export type ModelSolveStatus = 'optimal' | 'timeLimit' | 'infeasible' | 'error'

export interface ModelSolveResult {
  status: ModelSolveStatus
  /** HiGHS status of each stage, for the record. */
  stageStatus: [string, string]
  /** Stage 2 column values (or stage 1's when stage 2 found nothing better). */
  colValue: Float64Array
  /** Optimum of stage 1 (slots filled, before rounding for an LP). */
  filled: number
  /** Stage 2 objective, as a maximisation (score units − load units). */
  objective: number
  /** Best bound on stage 2 (MIP), as a maximisation. */
  bound: number | null
  ms: number
}

/** Solves an AssignmentModel (two stages); implemented by highs-worker.server.ts, injectable in tests. */
export type ModelSolver = (request: ModelSolveRequest) => Promise<ModelSolveResult>
