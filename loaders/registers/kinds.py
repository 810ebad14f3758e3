"""The register kinds, as data: fields, header synonyms, values and the relationship each
reference column makes.

A register is a table an office keeps — one row per community, organization, worker,
volunteer, charity resource, station, Party committee, need or project — that names other
things by code or name instead of by our ids. Every kind here is a :class:`RegisterKind`:
the node label its rows describe, and :class:`Field` entries that say where each column
goes (a node property, a reference that becomes a relationship, a parent region that helps
to resolve a name, or the row's own key). The pipeline stages (header finder, column
mapping, resolver, builder) read these tables; no stage knows a kind by name except the
division register, whose rows make four levels of regions at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from wushe.graph.schema import ACTOR_LABELS, SCHEMA

__all__ = [
    "CHANNELS",
    "KINDS",
    "REGION_FIELDS",
    "Field",
    "Ref",
    "RegisterKind",
    "kind",
]

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Ref:
    """A reference column: which relationship it makes and to what.

    Attributes
    ----------
    rel : str
        Relationship type.
    labels : tuple of str
        Labels the named thing may have (tried together; a name found under two labels is
        ambiguous).
    many : bool
        The cell holds a list (``;``, ``；``, ``、``, ``,``, ``，`` or new lines between items).
    reverse : bool
        The named thing is the relationship's start and the row's node its end
        (``成员单位`` of a Party committee: Organization MEMBER_UNIT_OF PartyCommittee).
    parent : str, optional
        Field holding the parent region that narrows a name (``所在乡镇(街道)``).
    item_prop : str, optional
        Relationship property an item may carry after ``:`` (``王芳:12`` → hours 12).
    funding : bool
        Items are ``funder:amount:channel`` (FUNDS with amount and channel).
    """

    rel: str
    labels: tuple[str, ...]
    many: bool = False
    reverse: bool = False
    parent: str | None = None
    item_prop: str | None = None
    funding: bool = False


@dataclass(frozen=True, eq=False)
class Field:
    """One field of a register kind.

    Attributes
    ----------
    name : str
        Field name used in mapping files.
    zh, en : str
        Display names; ``zh`` is the template's header.
    synonyms : tuple of str
        Other headers offices use for it (matched after width/space folding).
    prop : str, optional
        Node property the cell fills.
    ref : Ref, optional
        The relationship a reference cell makes.
    values : mapping
        Cell text → schema value (城乡类型 城镇 → urban); schema values pass as they are.
    role : str
        ``""``, ``"key"`` (our id, 编号), ``"parent"`` (a region that narrows names) or
        ``"urban_rural_code"`` (1xx urban, 2xx rural) or ``"region"`` (a division level).
    note_zh, note_en : str
        What the column accepts, for the template's header comment and docs.
    """

    name: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()
    prop: str | None = None
    ref: Ref | None = None
    values: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    role: str = ""
    note_zh: str = ""
    note_en: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header recognised for this field (its names first)."""
        return (self.zh, self.en, self.name, *self.synonyms)


@dataclass(frozen=True, eq=False)
class RegisterKind:
    """A register kind: the label its rows describe and its fields.

    ``keys`` are the fields that identify a row's thing, in order (the first filled one
    wins: credit code before filing number before name); ``prefix`` starts minted ids.
    """

    name: str
    zh: str
    en: str
    label: str
    prefix: str
    fields: tuple[Field, ...]
    keys: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    example: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def get(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def refs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.ref is not None)

    @property
    def rel_types(self) -> tuple[str, ...]:
        """Relationship types this kind's rows make (its "own" relationships)."""
        out = [f.ref.rel for f in self.refs if f.ref is not None]
        if self.name == "divisions":
            out.append("PART_OF")
        return tuple(dict.fromkeys(out))


def _v(**pairs: str) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


YES_NO = "是/否"
_KEY = Field("id", "编号", "ID", ("系统编号", "内部编号"), role="key",
             note_zh="可选;不填时由代码或名称生成", note_en="optional; made from codes or names")


def _parent(name: str = "township", zh: str = "所在乡镇(街道)") -> Field:
    return Field(name, zh, "Township (to narrow names)",
                 ("所在街道", "所属乡镇(街道)", "所属街道", "乡镇(街道)", "街道", "乡镇", "镇街",
                  "所在镇街"),
                 role="parent", note_zh="乡镇或街道名称,用于区分同名社区",
                 note_en="township or street name, tells same-named communities apart")


_URBAN = {"城镇": "urban", "城市": "urban", "城区": "urban", "社区": "urban", "城": "urban",
          "乡村": "rural", "农村": "rural", "村": "rural", "乡": "rural"}

DIVISIONS = RegisterKind(
    "divisions", "区划与社区", "Divisions and communities", "Community", "comm",
    (
        Field("city", "市", "City", ("设区市", "地市", "所属市", "市名称", "城市"), role="region"),
        Field("county", "县(市、区)", "County", ("县市区", "区县", "县区", "县(区)",
                                             "所属县(市、区)", "县(市、区)名称"), role="region"),
        Field("township", "乡镇(街道)", "Township", ("乡镇", "街道", "镇街", "所属乡镇(街道)",
                                                "乡镇(街道)名称"), role="region"),
        Field("township_kind", "乡镇类型", "Township kind", ("街道/镇/乡",),
              values=_v(街道="street", 镇="town", 乡="township", 其他="other"),
              note_zh="街道/镇/乡;不填时按名称末字判断", note_en="street/town/township; "
              "from the name's ending when empty"),
        Field("name", "社区(村)", "Community", ("社区/村", "社区", "村(社区)", "村社", "社区名称",
                                            "村(居)", "村居", "名称", "社区(村)名称"), prop="name"),
        Field("code", "统计用区划代码", "Division code", ("区划代码", "行政区划代码", "社区代码",
                                                   "统计代码", "代码"), prop="code",
              note_zh="12 位统计用区划代码", note_en="12-digit statistical division code"),
        Field("urban_rural_code", "城乡分类代码", "Urban-rural code", ("城乡代码",),
              role="urban_rural_code", note_zh="1xx 城镇,2xx 乡村",
              note_en="1xx urban, 2xx rural"),
        Field("kind", "城乡类型", "Urban or rural", ("城乡属性", "社区类型", "类型"), prop="kind",
              values=_v(**_URBAN), note_zh="城镇/乡村(或 urban/rural)"),
        Field("population", "常住人口", "Population", ("人口", "人口数", "常住人口数"),
              prop="population"),
        Field("households", "户数", "Households", ("常住户数", "总户数"), prop="households"),
        Field("complex_star", "服务综合体星级", "Service complex star", ("综合体星级", "星级"),
              prop="complex_star", note_zh="0–5"),
        Field("fulltime_workers", "专职社区工作者数", "Full-time community workers",
              ("专职社区工作者", "社区工作者数"), prop="fulltime_workers"),
        Field("certified_workers", "持证专职社区工作者数", "Certified full-time community workers",
              ("持证社区工作者数", "持证社工数"), prop="certified_workers"),
        _KEY,
        Field("city_id", "市编号", "City ID", role="key", note_zh="可选"),
        Field("county_id", "县编号", "County ID", role="key", note_zh="可选"),
        Field("township_id", "乡镇编号", "Township ID", role="key", note_zh="可选"),
    ),
    keys=("id", "code"),
    synonyms=("区划", "社区名单", "社区列表", "村社区名单", "行政区划", "区划代码", "divisions",
              "communities"),
)

_FORM = _v(**{"社会团体": "社会团体", "社团": "社会团体", "社会服务机构": "社会服务机构",
              "社会服务机构(民办非企业单位)": "社会服务机构", "民办非企业单位": "社会服务机构",
              "民非": "社会服务机构", "基金会": "基金会", "备案": "备案",
              "社区社会组织(备案)": "备案", "备案类": "备案"})

ORGANIZATIONS = RegisterKind(
    "organizations", "社会组织", "Social-organization register", "Organization", "org",
    (
        Field("name", "组织名称", "Name", ("名称", "单位名称", "社会组织名称", "机构名称",
                                       "组织全称"), prop="name"),
        Field("credit_code", "统一社会信用代码", "Unified social credit code",
              ("信用代码", "社会信用代码", "统一代码"), prop="credit_code"),
        Field("filing_no", "备案号", "Filing number", ("备案编号", "备案证号"), prop="filing_no",
              note_zh="社区社会组织备案编号(无信用代码时)"),
        Field("form", "组织类型", "Legal form", ("类型", "组织形式", "社会组织类型", "登记类型",
                                            "法人类型"), prop="form", values=_FORM,
              note_zh="社会团体/社会服务机构(民办非企业单位)/基金会/备案"),
        Field("category", "类别", "Category", ("业务类别", "服务类别", "行业类别", "组织类别"),
              prop="category"),
        Field("rating", "评估等级", "Rating", ("等级", "评估等级(A)"), prop="rating",
              note_zh="1A–5A"),
        Field("rating_expiry", "等级有效期至", "Rating valid until",
              ("评估有效期", "有效期至", "等级有效期"), prop="rating_expiry"),
        Field("authority", "登记管理机关", "Registration authority",
              ("登记机关", "登记管理机关层级"), prop="registration_level",
              role="authority",
              note_zh="如 浙江省民政厅 / 杭州市民政局 / 西湖区民政局 / 街道(备案)",
              note_en="e.g. a provincial department, city or county bureau, or a township "
                      "(filing)"),
        Field("based_community", "所在社区", "Based in (community)",
              ("住所地社区", "所在社区(村)", "所属社区", "住所社区", "所在村社"),
              ref=Ref("BASED_IN", ("Community",), parent="township")),
        _parent(),
        Field("serves", "服务社区", "Communities served", ("服务范围", "服务社区(村)",
                                                       "服务的社区"),
              ref=Ref("SERVES", ("Community",), many=True, parent="township"),
              note_zh="多个用「;」或「、」分隔;同名社区写作「街道/社区」",
              note_en="a list; write 'township/community' for same-named communities"),
        Field("is_community_org", "是否社区社会组织", "Community social organization",
              ("社区社会组织",), prop="is_community_org", note_zh=YES_NO),
        Field("is_volunteer_service", "是否志愿服务类", "Volunteer-service organization",
              ("志愿服务组织", "是否志愿服务组织", "志愿服务类"), prop="is_volunteer_service",
              note_zh=YES_NO),
        Field("registered_on", "登记日期", "Registered on", ("成立日期", "备案日期",
                                                        "登记(备案)日期", "成立登记日期"),
              prop="registered_on"),
        Field("staff", "专职人员数", "Staff", ("专职工作人员数", "专职人员"), prop="staff"),
        Field("activities_12m", "近12个月活动次数", "Activities (12 months)",
              ("活动次数", "年度活动次数"), prop="activities_12m"),
        Field("active_months_12m", "近12个月活跃月数", "Active months (12 months)",
              ("活跃月数",), prop="active_months_12m"),
        _KEY,
    ),
    keys=("id", "credit_code", "filing_no"),
    synonyms=("社会组织", "社会组织登记", "社会组织名录", "社会组织台账", "组织名录",
              "organizations"),
)

_CERT = _v(**{"无": "none", "未持证": "none", "否": "none", "助理社会工作师": "assistant",
              "助理社工师": "assistant", "初级": "assistant", "社会工作师": "intermediate",
              "社工师": "intermediate", "中级": "intermediate", "高级社会工作师": "senior",
              "高级社工师": "senior", "高级": "senior"})
_ROLE = _v(**{"专职社区工作者": "community_worker", "社区工作者": "community_worker",
              "社区专职": "community_worker", "机构社工": "agency_worker",
              "社工机构社工": "agency_worker", "机构": "agency_worker",
              "社工站社工": "station_worker", "社工站": "station_worker",
              "驻站社工": "station_worker"})

WORKERS = RegisterKind(
    "workers", "社会工作者", "Social-worker roster", "SocialWorker", "sw",
    (
        Field("name", "姓名", "Name", ("社工姓名", "人员姓名"), prop="name",
              note_zh="导入时脱敏(张*明)"),
        Field("certificate", "职业资格", "Certificate", ("证书等级", "资格等级", "职业资格等级",
                                                    "持证情况"), prop="certificate",
              values=_CERT, note_zh="无/助理社会工作师/社会工作师/高级社会工作师"),
        Field("role", "岗位", "Role", ("岗位类型", "人员类别", "职务"), prop="role", values=_ROLE,
              note_zh="专职社区工作者/机构社工/社工站社工"),
        Field("employer", "工作单位", "Employer", ("所在单位", "任职单位", "服务单位",
                                               "单位名称"),
              ref=Ref("WORKS_AT", ("Organization", "Station", "Community"), parent="township"),
              note_zh="社会组织名称或信用代码、社工站或社区名称"),
        _parent(),
        Field("id_number", "身份证号", "ID number", ("身份证号码", "证件号码", "公民身份号码"),
              prop="id_number", note_zh="仅以加盐哈希存储"),
        Field("phone", "联系电话", "Phone", ("手机号", "手机号码", "电话"), prop="phone",
              note_zh="仅以加盐哈希存储"),
        _KEY,
    ),
    keys=("id", "id_number", "phone"),
    synonyms=("社工", "社会工作者", "社工花名册", "社会工作者花名册", "社工名册", "workers"),
)

VOLUNTEERS = RegisterKind(
    "volunteers", "志愿者", "Volunteer list", "Volunteer", "vol",
    (
        Field("name", "姓名", "Name", ("志愿者姓名", "真实姓名"), prop="name",
              note_zh="导入时脱敏(张*明)"),
        Field("volunteer_no", "志愿者编号", "Volunteer number",
              ("志愿者号", "注册编号", "志愿者证号", "编号(志愿者)", "志愿者ID"),
              prop="volunteer_no"),
        Field("community", "所在社区", "Community", ("居住社区", "所属社区", "注册社区",
                                                "所在社区(村)", "社区"),
              ref=Ref("LIVES_IN", ("Community",), parent="township")),
        _parent(),
        Field("teams", "所属队伍", "Teams", ("所属组织", "志愿服务队", "加入队伍", "所在队伍",
                                         "所属团队", "志愿队伍"),
              ref=Ref("MEMBER_OF", ("Organization",), many=True),
              note_zh="多个用「;」或「、」分隔"),
        Field("hours_12m", "服务时长", "Service hours", ("服务时长(小时)", "近12个月服务时长",
                                                     "累计服务时长", "服务小时数",
                                                     "志愿服务时长"), prop="hours_12m"),
        Field("activities_12m", "活动次数", "Activities (12 months)",
              ("近12个月活动次数", "参加活动次数"), prop="activities_12m"),
        Field("active_months_12m", "活跃月数", "Active months (12 months)",
              ("近12个月活跃月数",), prop="active_months_12m"),
        Field("id_number", "身份证号", "ID number", ("身份证号码", "证件号码"), prop="id_number",
              note_zh="仅以加盐哈希存储"),
        Field("phone", "手机号", "Phone", ("联系电话", "手机号码", "电话"), prop="phone",
              note_zh="仅以加盐哈希存储"),
        _KEY,
    ),
    keys=("id", "volunteer_no", "id_number", "phone"),
    synonyms=("志愿者", "志愿者名单", "志愿者花名册", "志愿者导出", "volunteers"),
)

_FDN = _v(**{"社区发展基金会": "community_foundation", "基金会": "community_foundation",
             "慈善基金": "charitable_fund", "关爱基金": "charitable_fund",
             "专项基金": "charitable_fund", "社区基金": "charitable_fund",
             "企业": "enterprise_donor", "爱心企业": "enterprise_donor",
             "企业捐赠": "enterprise_donor", "个人": "individual_donor",
             "爱心人士": "individual_donor", "个人捐赠": "individual_donor"})

CHARITY = RegisterKind(
    "charity", "慈善资源", "Charity resources", "Foundation", "fdn",
    (
        Field("name", "名称", "Name", ("资源名称", "基金名称", "捐赠方", "单位名称"), prop="name"),
        Field("kind", "类型", "Kind", ("资源类型", "基金类型"), prop="kind", values=_FDN,
              note_zh="社区发展基金会/慈善基金(关爱基金、专项基金)/企业/个人"),
        Field("credit_code", "统一社会信用代码", "Unified social credit code",
              ("信用代码",), prop="credit_code"),
        Field("based_community", "所在社区", "Based in (community)", ("所属社区",),
              ref=Ref("BASED_IN", ("Community",), parent="township")),
        _parent(),
        Field("assets", "资金规模(元)", "Assets (yuan)", ("资金规模", "资产规模", "基金规模"),
              prop="assets"),
        _KEY,
    ),
    keys=("id", "credit_code"),
    synonyms=("慈善", "慈善资源", "基金", "社区基金", "charity"),
)

STATIONS = RegisterKind(
    "stations", "社工站与服务中心", "Stations", "Station", "stn",
    (
        Field("name", "名称", "Name", ("站点名称", "机构名称", "阵地名称"), prop="name"),
        Field("kind", "类型", "Kind", ("站点类型",), prop="kind",
              values=_v(**{"社工站": "social_work_station",
                           "社会工作站": "social_work_station",
                           "乡镇(街道)社工站": "social_work_station",
                           "社会组织服务中心": "org_service_center",
                           "服务中心": "org_service_center"}),
              note_zh="社工站/社会组织服务中心"),
        Field("township", "所在乡镇(街道)", "Township", ("乡镇(街道)", "所在街道", "街道", "乡镇"),
              ref=Ref("LOCATED_IN", ("Township",), parent="county")),
        Field("county", "所在县(市、区)", "County (to narrow names)", ("县(市、区)", "县市区",
                                                              "区县"), role="parent"),
        Field("evaluated", "是否已等级评估", "Rating-evaluated", ("是否评估", "已评估"),
              prop="evaluated", note_zh=YES_NO),
        Field("registered", "是否登记", "Registered", ("是否已登记", "已登记"),
              prop="registered", note_zh=YES_NO),
        Field("certified_staff", "持证社工数", "Certified staff", ("持证人数",),
              prop="certified_staff"),
        _KEY,
    ),
    keys=("id",),
    synonyms=("站点", "社工站", "服务中心", "社工站与服务中心", "stations"),
)

PARTY = RegisterKind(
    "party", "社区党组织", "Party committees", "PartyCommittee", "pc",
    (
        Field("name", "党组织名称", "Name", ("名称", "党组织"), prop="name"),
        Field("community", "所在社区", "Community", ("社区", "所属社区"),
              ref=Ref("LEADS", ("Community",), parent="township")),
        _parent(),
        Field("is_big_committee", "是否大党委", "Big Party committee", ("大党委",),
              prop="is_big_committee", note_zh=YES_NO),
        Field("member_units", "成员单位数", "Member units", ("成员单位数量",),
              prop="member_units"),
        Field("members", "成员单位", "Member units (list)", ("大党委成员单位", "成员单位名单"),
              ref=Ref("MEMBER_UNIT_OF", ("Organization", "Foundation"), many=True,
                      reverse=True),
              note_zh="社会组织或慈善资源名称,多个用「;」分隔"),
        _KEY,
    ),
    keys=("id",),
    synonyms=("党组织", "社区党组织", "大党委", "party"),
)

_STATUS = _v(**{"待解决": "open", "未解决": "open", "未办理": "open", "待办": "open",
                "处理中": "in_progress", "办理中": "in_progress", "进行中": "in_progress",
                "已解决": "met", "已办结": "met", "已满足": "met", "已完成": "met"})

NEEDS = RegisterKind(
    "needs", "居民需求", "Needs list", "Need", "need",
    (
        Field("id", "需求编号", "Need number", ("编号", "工单号", "诉求编号"), role="key"),
        Field("category", "需求类别", "Category", ("类别", "需求类型"), prop="category"),
        Field("description", "需求描述", "Description", ("描述", "内容", "需求内容"),
              prop="description"),
        Field("raised_on", "提出日期", "Raised on", ("登记日期", "提出时间"), prop="raised_on"),
        Field("status", "状态", "Status", ("办理状态", "处理状态"), prop="status", values=_STATUS,
              note_zh="待解决/处理中/已解决"),
        Field("community", "所在社区", "Community", ("社区", "所属社区"),
              ref=Ref("RAISED_IN", ("Community",), parent="township")),
        _parent(),
    ),
    keys=("id",),
    synonyms=("需求", "居民需求", "需求清单", "需求台账", "needs"),
)

CHANNELS: Mapping[str, str] = _v(**{
    "政府购买": "government_purchase", "政府购买服务": "government_purchase",
    "基金会资助": "foundation_grant", "基金资助": "foundation_grant",
    "慈善基金": "charitable_fund", "捐赠": "donation", "社会捐赠": "donation",
    "自筹": "self_funded", "自有资金": "self_funded"})

_ACTORS = ACTOR_LABELS

PROJECTS = RegisterKind(
    "projects", "项目台账", "Project ledger", "Project", "prj",
    (
        Field("name", "项目名称", "Name", ("名称", "项目"), prop="name"),
        Field("id", "项目编号", "Project number", ("编号",), role="key"),
        Field("year", "年度", "Year", ("项目年度", "年份"), prop="year"),
        Field("scenario", "应用场景", "Scenario", ("项目类型", "场景", "项目类别"),
              prop="scenario"),
        Field("budget", "预算(元)", "Budget (yuan)", ("预算", "项目金额", "项目预算"),
              prop="budget"),
        Field("start_date", "开始日期", "Start date", ("启动日期", "实施日期"), prop="start_date"),
        Field("communities", "实施社区", "Communities", ("项目所在社区", "所在社区", "服务社区"),
              ref=Ref("RUNS_IN", ("Community",), many=True, parent="township")),
        _parent(),
        Field("initiators", "发起方", "Initiated by", ("发起单位", "发起主体"),
              ref=Ref("INITIATED", _ACTORS, many=True, reverse=True)),
        Field("leads", "牵头方", "Led by", ("牵头单位", "牵头主体"),
              ref=Ref("LEADS", _ACTORS, many=True, reverse=True)),
        Field("delivers", "承接组织", "Delivered by", ("承接方", "实施单位", "承接单位",
                                                   "实施主体"),
              ref=Ref("DELIVERS", _ACTORS, many=True, reverse=True)),
        Field("workers", "参与社工", "Social workers taking part", ("参与社会工作者",),
              ref=Ref("SERVES_IN", ("SocialWorker",), many=True, reverse=True,
                      item_prop="hours"),
              note_zh="姓名或编号,可加「:时长」,如 王芳:12"),
        Field("volunteers", "参与志愿者", "Volunteers taking part", ("参与志愿者编号",),
              ref=Ref("SERVES_IN", ("Volunteer",), many=True, reverse=True,
                      item_prop="hours"),
              note_zh="志愿者编号,可加「:时长」"),
        Field("funding", "资金来源", "Funding", ("资助", "资助情况", "资金"),
              ref=Ref("FUNDS", ("Foundation", "Community", "PartyCommittee", "Organization"),
                      many=True, reverse=True, funding=True),
              note_zh="资助方:金额:渠道;多个用「;」分隔。也可用重复列 资助方1/资助金额1/资助渠道1",
              note_en="funder:amount:channel; … or repeated columns 资助方1/资助金额1/资助渠道1"),
        Field("needs", "回应需求", "Needs addressed", ("回应需求编号", "需求编号"),
              ref=Ref("ADDRESSES", ("Need",), many=True)),
    ),
    keys=("id",),
    synonyms=("项目", "项目台账", "项目清单", "projects", "ledger"),
)

KINDS: tuple[RegisterKind, ...] = (DIVISIONS, ORGANIZATIONS, WORKERS, VOLUNTEERS, CHARITY,
                                   STATIONS, PARTY, NEEDS, PROJECTS)
REGION_FIELDS: tuple[tuple[str, str], ...] = (
    ("city", "City"), ("county", "County"), ("township", "Township"), ("name", "Community"))


def kind(name: str) -> RegisterKind:
    """The register kind called ``name`` (``"volunteers"``)."""
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)


def _check_kinds() -> None:
    """Every property and relationship named here exists in the schema."""
    for k in KINDS:
        label = SCHEMA.node(k.label)
        for f in k.fields:
            if f.prop is not None and f.prop not in {p.name for p in label.props}:
                # fields for schema properties that other changes add (Station.registered)
                # are recognised but dropped until the schema has them: see usable_fields
                continue
            if f.ref is not None:
                rel = SCHEMA.rel(f.ref.rel)
                for target in f.ref.labels:
                    pair = (target, k.label) if f.ref.reverse else (k.label, target)
                    if pair not in rel.pairs:
                        raise ValueError(f"{k.name}.{f.name}: {rel.name} has no pair {pair}")


_check_kinds()
