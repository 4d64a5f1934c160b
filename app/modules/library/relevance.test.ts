/**
 * Relevance table: Chinese queries as mediators type them (colloquial phrasings, partial terms,
 * article numbers in both forms, mixed Chinese and Latin) and the curated case that must be in
 * the top 3. Runs against the shipped cases in content/cases.
 */
import { describe, expect, it } from 'vitest'
import { readCuratedCases } from './curated.server.ts'
import { LibrarySearch } from './search.ts'

const { cases } = await readCuratedCases()
const search = new LibrarySearch(cases)

const TABLE: [query: string, expected: string][] = [
  ['物业费', 'wuye-qianfei-beikaobei'],
  ['拖欠物业费', 'wuye-qianfei-beikaobei'],
  ['业主不交物业费怎么办', 'wuye-qianfei-beikaobei'],
  ['民法典第944条', 'wuye-qianfei-beikaobei'],
  ['民法典第九百四十四条', 'wuye-qianfei-beikaobei'],
  ['道路交通安全法第七十六条', 'jiaotong-diandongche-jiaoqiangxian'],
  ['交强险', 'jiaotong-diandongche-jiaoqiangxian'],
  ['电动车被汽车撞了', 'jiaotong-diandongche-jiaoqiangxian'],
  ['彩礼', 'hunyin-caili-fanhuan-yishui'],
  ['退婚要退彩礼吗', 'hunyin-caili-fanhuan-yishui'],
  ['楼上漏水', 'loushang-loushui-zhuangxiu-peichang'],
  ['楼上孩子跑跳太吵', 'linli-zaoyin-koutou-xiecheng'],
  ['狗咬人', 'quanzhi-yaoshang-ertong-jingtiao'],
  ['被狗咬了打狂犬疫苗', 'quanzhi-yaoshang-ertong-jingtiao'],
  ['农民工讨薪', 'qianxin-nongmingong-zongbao-dianfu'],
  ['拖欠工资', 'qianxin-nongmingong-zongbao-dianfu'],
  ['工伤赔偿', 'gongshang-wujinchang-erbei-gongzi'],
  ['劳动合同法第四十七条', 'laodong-banqian-jingjibuchang'],
  ['工厂搬迁经济补偿', 'laodong-banqian-jingjibuchang'],
  ['七天无理由退货', 'wanggou-qitian-wuliyou-tuihuo'],
  ['直播带货翡翠', 'zhibo-daihuo-feicui-qizha'],
  ['A货翡翠', 'zhibo-daihuo-feicui-qizha'],
  ['退一赔三', 'zhibo-daihuo-feicui-qizha'],
  ['孩子玩游戏充值退款', 'wangyou-weichengnian-chongzhi-tuikuan'],
  ['商标侵权', 'shangbiao-canyin-zhaopai-suqian'],
  ['手术后感染', 'yiliao-xiguanjie-ganran-zhuanjia'],
  ['重疾险拒赔', 'baoxian-zhongjixian-rushi-gaozhi'],
  ['信用卡逾期还不上', 'xinyongka-yuqi-suqian-fenqi'],
  ['退租押金被扣', 'zufang-yajin-kouliu-zhengju'],
  ['高空抛物', 'gaokong-zhuiwu-chesun-zhongzhi'],
  ['拆迁款怎么分', 'chaiqian-buchangkuan-jiating-fenpei'],
  ['子女不赡养老人', 'shanyang-laomuqin-sanzinv-fangtiao'],
  ['离婚后见不到孩子', 'lihun-tanwang-ertong-fayuan-weipai'],
  ['宅基地界墙', 'zhaijidi-jiexian-weiqiang-lengchuli'],
  ['烧烤店油烟', 'canyin-youyan-jumin-huanjing'],
  ['12345投诉油烟', 'canyin-youyan-jumin-huanjing'],
  ['纯玩团强制购物', 'lvyou-tuanyou-gouwu-jiangji'],
  ['外卖骑手摔伤', 'waimai-qishou-laodongguanxi-zhongzhi'],
  ['土地流转租金', 'tudi-liuzhuan-taoyuan-zujin'],
  ['合伙人退伙算账', 'hehuo-dapeng-shucai-tuihuo-qingsuan'],
  ['健身房关门预付卡退钱', 'yufuka-jianshenfang-guanmen-jieguan'],
  ['割双眼皮失败', 'yimei-shuangyanpi-tiaojie-zhongzhi'],
  ['公众号盗用摄影作品', 'sheying-zuopin-gongzhonghao-qinquan'],
  ['装修拖延工期', 'zhuangxiu-gongqi-yanwu-jingtiao'],
  ['楼道里停电动车', 'loudao-duiwu-diandongche-koutou'],
]

const present = new Set(cases.map((c) => c.key))

describe('library search relevance', () => {
  it('has at least 25 queries over cases that ship', () => {
    const covered = TABLE.filter(([, key]) => present.has(key))
    expect(covered.length).toBeGreaterThanOrEqual(25)
  })

  it.each(TABLE.filter(([, key]) => present.has(key)))('%s → %s in the top 3', (query, expected) => {
    const top = search
      .search(query)
      .slice(0, 3)
      .map((h) => h.case.key)
    expect(top, `top 3 for ${query}`).toContain(expected)
  })

  it('finds nothing for unrelated text and combines filters with text', () => {
    expect(search.search('量子纠缠超导芯片')).toEqual([])
    const filtered = search.search('赔偿', { disputeType: '劳动争议' })
    expect(filtered.length).toBeGreaterThan(0)
    for (const hit of filtered) expect(hit.case.disputeType).toBe('劳动争议')
  })

  it('answers a repeated similar-case question from its cache, and only the same question', () => {
    const text = '小区电梯坏了物业迟迟不修，业主拒交物业费'
    const first = search.similar(text, { disputeType: '物业' })
    expect(search.similar(text, { disputeType: '物业' })).toBe(first)
    expect(search.similar(text, { disputeType: '物业', excludeKey: first[0]!.case.key })).not.toContainEqual(first[0])
    expect(search.similar(text, { disputeType: '消费' })).not.toBe(first)
  })

  it('suggests similar cases with reasons', () => {
    const similar = search.similar('业主张某以屋顶漏水为由拒交物业费，物业公司申请调解', { disputeType: '物业', domains: ['物业'] })
    expect(similar[0]?.case.key).toBe('wuye-qianfei-beikaobei')
    expect(similar[0]?.sameType).toBe(true)
    expect(similar[0]?.sharedTerms.length).toBeGreaterThan(0)
    expect(similar.length).toBeLessThanOrEqual(5)
  })
})
