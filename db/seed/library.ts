/**
 * Demo data for the case library: one case by the demo mediator awaiting review, so a reviewer
 * (hd.assoc, reviewer) finds something in the queue. Idempotent: a stable id, inserted once.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { stableId } from './demo.ts'

const FACTS = `某小区业主王某家中空调外机安装在卧室窗下，邻居李某称外机噪音和热风影响休息，多次协商未果，双方在楼道发生争执。

李某向社区人民调解委员会申请调解。调委会受理后指派调解员上门查看。`

const PROCESS = `调解员先后到两户家中**分别听取意见**，并请物业测量外机位置和噪音。

- 外机距离李某卧室窗户不足一米
- 夜间噪音明显高于白天

调解员向双方说明相邻关系应当遵循“有利生产、方便生活、团结互助、公平合理”的原则。`

const RESULT = '王某同意出资将外机移至阳台外侧并加装减震垫，李某表示谅解，双方达成书面协议并当场签字。'
const COMMENTARY = '相邻关系纠纷标的虽小，却关系日常生活。调解员现场测量、以事实说话，兼顾双方利益，是化解此类纠纷的有效方法。'

export async function seedLibrary(db: Executor): Promise<{ inserted: number }> {
  const id = stableId('library:demo-submission')
  const exists = await db.selectFrom('library_submissions').select('id').where('id', '=', id).executeTakeFirst()
  if (exists) return { inserted: 0 }
  const author = await db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.person_id', 'u.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as user_id', 'm.person_id', 'm.org_id', 'o.region_code'])
    .where('u.username', '=', 'mediator')
    .executeTakeFirst()
  if (!author) return { inserted: 0 }
  const now = new Date().toISOString()
  const input = {
    title: '空调外机对着邻居卧室，现场测量后移机化解',
    dispute_type: '邻里',
    domains: JSON.stringify(['邻里']),
    region_code: author.region_code.slice(0, 6),
    year: 2026,
    source: '当事人申请',
    outcome: '书面协议',
    amount_range: '1万以下',
    techniques: JSON.stringify(['倾听', '背靠背']),
    legal_basis: JSON.stringify(['民法典第288条', '民法典第294条']),
    tags: JSON.stringify(['空调外机', '噪音', '相邻关系']),
    summary: '空调外机噪音和热风影响邻居休息，调解员现场测量后促成移机。',
    facts: FACTS,
    process: PROCESS,
    result: RESULT,
    commentary: COMMENTARY,
  }
  await db
    .insertInto('library_submissions')
    .values({
      id,
      author_user_id: author.user_id,
      author_person_id: author.person_id,
      org_id: author.org_id,
      scope_region_code: author.region_code,
      ...input,
      status: 'submitted',
      revision: 1,
      version: 2,
      submitted_at: now,
      accepted_at: null,
      accepted_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await db
    .insertInto('library_submission_versions')
    .values({
      id: stableId('library:demo-submission:1'),
      submission_id: id,
      revision: 1,
      snapshot: JSON.stringify({
        title: input.title,
        summary: input.summary,
        facts: FACTS,
        process: PROCESS,
        result: RESULT,
        commentary: COMMENTARY,
      }),
      created_by: author.user_id,
      created_at: now,
    })
    .execute()
  return { inserted: 1 }
}
