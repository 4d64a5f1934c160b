/**
 * Administrative divisions (GB/T 2260 for provinces, cities and districts; the statistics
 * division codes for townships and streets, 9 digits). Copied from the project's reference list
 * so the app never reads files outside its repository at run time. Parents come before their
 * children; paths are computed by `makeRegionTree`.
 */
import type { RegionLevel } from '#db/schema.ts'

export interface RegionSeed {
  code: string
  name: string
  level: RegionLevel
  parent: string | null
}

const BEIJING = '110000'
const DONGCHENG = '110101'
const XICHENG = '110102'
const CHAOYANG = '110105'
const HAIDIAN = '110108'
const TONGZHOU = '110112'

const province = (code: string, name: string): RegionSeed => ({ code, name, level: 'province', parent: null })
const city = (code: string, name: string, parent: string): RegionSeed => ({ code, name, level: 'city', parent })
const district = (code: string, name: string, parent: string): RegionSeed => ({ code, name, level: 'district', parent })
const township = (code: string, name: string, parent: string): RegionSeed => ({ code, name, level: 'township', parent })

export const REGIONS: readonly RegionSeed[] = [
  province(BEIJING, '北京市'),
  district(DONGCHENG, '东城区', BEIJING),
  district(XICHENG, '西城区', BEIJING),
  district(CHAOYANG, '朝阳区', BEIJING),
  district('110106', '丰台区', BEIJING),
  district('110107', '石景山区', BEIJING),
  district(HAIDIAN, '海淀区', BEIJING),
  district('110109', '门头沟区', BEIJING),
  district('110111', '房山区', BEIJING),
  district(TONGZHOU, '通州区', BEIJING),
  district('110113', '顺义区', BEIJING),
  district('110114', '昌平区', BEIJING),
  district('110115', '大兴区', BEIJING),
  district('110116', '怀柔区', BEIJING),
  district('110117', '平谷区', BEIJING),
  district('110118', '密云区', BEIJING),
  district('110119', '延庆区', BEIJING),

  township('110101001', '东华门街道', DONGCHENG),
  township('110101003', '交道口街道', DONGCHENG),
  township('110101010', '和平里街道', DONGCHENG),

  township('110102003', '新街口街道', XICHENG),
  township('110102011', '金融街街道', XICHENG),
  township('110102012', '什刹海街道', XICHENG),

  township('110105001', '建外街道', CHAOYANG),
  township('110105004', '三里屯街道', CHAOYANG),
  township('110105016', '双井街道', CHAOYANG),
  township('110105026', '望京街道', CHAOYANG),
  township('110105038', '崔各庄乡', CHAOYANG),

  township('110108003', '羊坊店街道', HAIDIAN),
  township('110108010', '学院路街道', HAIDIAN),
  township('110108011', '中关村街道', HAIDIAN),
  township('110108017', '清河街道', HAIDIAN),
  township('110108022', '上地街道', HAIDIAN),

  township('110112104', '宋庄镇', TONGZHOU),

  province('310000', '上海市'),
  district('310101', '黄浦区', '310000'),
  district('310104', '徐汇区', '310000'),
  district('310105', '长宁区', '310000'),
  district('310106', '静安区', '310000'),
  district('310107', '普陀区', '310000'),
  district('310109', '虹口区', '310000'),
  district('310110', '杨浦区', '310000'),
  district('310112', '闵行区', '310000'),
  district('310113', '宝山区', '310000'),
  district('310114', '嘉定区', '310000'),
  district('310115', '浦东新区', '310000'),
  district('310116', '金山区', '310000'),
  district('310117', '松江区', '310000'),
  district('310118', '青浦区', '310000'),
  district('310120', '奉贤区', '310000'),
  district('310151', '崇明区', '310000'),

  province('370000', '山东省'),
  city('371300', '临沂市', '370000'),
  district('371302', '兰山区', '371300'),
  district('371311', '罗庄区', '371300'),
  district('371312', '河东区', '371300'),
  district('371321', '沂南县', '371300'),
  district('371322', '郯城县', '371300'),
  district('371323', '沂水县', '371300'),
  district('371324', '兰陵县', '371300'),
  district('371325', '费县', '371300'),
  district('371326', '平邑县', '371300'),
  district('371327', '莒南县', '371300'),
  district('371328', '蒙阴县', '371300'),
  district('371329', '临沭县', '371300'),
]
