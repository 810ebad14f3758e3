"""Name pools and vectorised name makers (places, people, organizations, projects)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wushe.loaders.generator.vectors import choice, join, rank_within, take

__all__ = [
    "BRANDS", "COMMUNITY_ORG_SUFFIX", "FIRST", "INDUSTRY", "NEED_TEXT", "PROJECT_NAMES", "SECOND",
    "SURNAMES", "TOWNSHIP_ORGS", "VOLUNTEER_TEAM_SUFFIX", "cn_numeral", "dedup_names",
    "person_names",
    "place_names",
]

# ------------------------------------------------------------------------ name pools
FIRST = "东西南北新和安康文华明清金银丰庆长永福兴翠柳桃梅竹松枫荷兰桂"
SECOND = "湖山园苑桥塘溪港门街城浦岭坞湾里庄林河泉坊堂亭洲滨埠墩桥浜岙"
SURNAMES = ("王陈张李吴徐周金杨刘黄林朱胡沈叶郑何蒋钱潘孙俞方赵马许姚汪邵高郭章楼"
             "施傅董范蔡韩冯余江程卢丁袁谢应毛梁宋戴陆")
GIVEN = ("伟芳敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平红霞玲兰志刚海燕文波飞婷雪琳"
          "晨浩宇欣怡涵萱轩睿博思宁佳俊嘉翔鹏辉倩颖琪瑶诗梦晓云天乐安逸")

COMMUNITY_ORG_SUFFIX = {
    "服务": ("老年协会", "居家养老服务队", "助残服务社", "四点半课堂", "邻里互助会",
             "红色代办队", "家庭教育指导站", "便民服务队"),
    "文体": ("舞蹈队", "太极拳协会", "合唱团", "书画协会", "越剧社", "健身队", "读书会",
             "腰鼓队"),
    "自治": ("居民议事会", "业主自治小组", "楼道自治会", "垃圾分类督导队", "乡贤参事会",
             "村民监督小组"),
    "平安": ("平安巡防队", "义警队", "消防志愿队", "护河队", "交通劝导队"),
    "志愿": ("志愿服务队", "青年志愿者服务队", "党员志愿服务队"),
    "调解": ("和事佬协会", "老娘舅调解队", "邻里调解室"),
    "慈善": ("慈善工作站", "爱心互助会", "微心愿服务社"),
}
VOLUNTEER_TEAM_SUFFIX = ("志愿服务队", "红马甲志愿服务队", "巾帼志愿服务队", "银龄志愿服务队",
                          "党员志愿服务队")
# (suffix, category, form) of registered organizations based in a township.
TOWNSHIP_ORGS = (
    ("社会工作服务中心", "服务", "社会服务机构"), ("公益服务中心", "服务", "社会服务机构"),
    ("养老服务中心", "服务", "社会服务机构"), ("青少年发展服务中心", "服务", "社会服务机构"),
    ("家庭综合服务中心", "帮扶", "社会服务机构"), ("助困帮扶中心", "帮扶", "社会服务机构"),
    ("社会组织联合会", "服务", "社会团体"), ("志愿者协会", "志愿", "社会团体"),
    ("慈善分会", "慈善", "社会团体"), ("人民调解协会", "调解", "社会团体"),
    ("应急救援队", "应急", "社会团体"), ("环保志愿者协会", "环保", "社会团体"),
    ("文体协会", "文体", "社会团体"), ("乡贤联谊会", "自治", "社会团体"),
)
BRANDS = ("和美", "向阳", "同心", "益家", "乐龄", "暖阳", "善行", "春晖", "启航", "众联",
           "德邻", "星光", "阳光", "爱心", "悦群", "恒爱", "知行", "仁和", "睦邻", "新苗")
INDUSTRY = ("实业", "科技", "建设", "纺织", "电器", "食品", "物流", "置业", "机械", "贸易")
PROJECT_NAMES = {
    "调解纠纷": ("“老娘舅”矛盾调解", "邻里纠纷调解室", "和事佬议事厅"),
    "一老一小": ("“一老一小”幸福驿站", "老年食堂助餐服务", "四点半课堂"),
    "困难帮扶": ("困难家庭结对帮扶", "“微心愿”圆梦行动", "残疾人居家照护"),
    "孤困儿童关爱": ("孤困儿童“护苗”关爱", "留守儿童暑期托管", "困境儿童心理陪伴"),
    "民生微实事": ("民生微实事·加装电梯", "民生微实事·口袋公园", "民生微实事·充电棚改造"),
    "小区治理": ("老旧小区微更新", "垃圾分类共治", "楼道自治提升"),
    "睦邻文化": ("邻里节", "睦邻文化节", "村晚文艺汇演"),
}
NEED_TEXT = {
    "调解纠纷": ("邻里噪音纠纷需要调解", "停车位纠纷反复发生", "物业费争议需要协调"),
    "一老一小": ("独居老人助餐需求", "双职工家庭放学后托管", "高龄老人上门探访"),
    "困难帮扶": ("低保家庭就业帮扶", "大病家庭临时救助", "残疾人出行不便"),
    "孤困儿童关爱": ("困境儿童学业辅导", "留守儿童心理关爱", "事实无人抚养儿童照护"),
    "民生微实事": ("老旧楼道无电梯", "缺少休闲健身场地", "电动车充电难"),
    "小区治理": ("小区垃圾分类不到位", "楼道堆物清理", "小区环境脏乱"),
    "睦邻文化": ("缺少邻里交流活动", "文体活动场地不足", "传统节日活动需求"),
}
def place_names(rng: np.random.Generator, groups: np.ndarray, n_groups: int) -> pa.Array:
    """Two-character place names, distinct within each group (e.g. 东湖, 翠苑)."""
    pool = len(FIRST) * len(SECOND)
    offset = rng.integers(0, pool, n_groups)
    # 37 is coprime with the pool size (900), so k*37 visits distinct names within a group;
    # it also moves both characters at each step, so neighbours don't share a first one.
    idx = (offset[groups] + rank_within(groups) * 37) % pool
    return join(take(tuple(FIRST), idx // len(SECOND)),
                 take(tuple(SECOND), idx % len(SECOND)))


def person_names(rng: np.random.Generator, n: int) -> pa.Array:
    """Surname + one- or two-character given name; surnames Zipf-weighted."""
    sur_p = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    sur = take(tuple(SURNAMES), choice(rng, sur_p, n))
    g1 = take(tuple(GIVEN), rng.integers(0, len(GIVEN), n))
    two = rng.random(n) < 0.7
    g2 = take(("",) + tuple(GIVEN), np.where(two, rng.integers(1, len(GIVEN) + 1, n), 0))
    return join(sur, g1, g2)


def cn_numeral(k: int) -> str:
    """k written in Chinese numerals, as ordinal tags are (1 ≤ k ≤ 99; larger in digits).

    >>> [cn_numeral(k) for k in (2, 10, 11, 20, 23, 99, 100)]
    ['二', '十', '十一', '二十', '二十三', '九十九', '100']
    """
    digits = "一二三四五六七八九"
    if k < 10:
        return digits[k - 1]
    if k < 100:
        tens, ones = divmod(k, 10)
        return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else "")
    return str(k)


def dedup_names(names: pa.Array) -> pa.Array:
    """Append (二), (三) … (十一) … to repeated names so every name is distinct."""
    codes = pc.dictionary_encode(names).indices.to_numpy(zero_copy_only=False)
    rank = rank_within(codes)
    tags = ("",) + tuple(f"({cn_numeral(r + 1)})" for r in range(1, int(rank.max(initial=0)) + 1))
    return join(names, take(tags, rank))
