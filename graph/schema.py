"""The one definition of the wushe graph: labels, relationships, properties, elements.

Everything else — Ladybug DDL, Neo4j constraints, loader validation, import templates,
docs — is generated from or checked against the objects in this module.

The five elements (五社) follow the Zhejiang policy: the community itself (led by its
Party committee), social organizations, social workers, community volunteers and
charity resources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ELEMENTS",
    "ELEMENT_ORDER",
    "ACTOR_LABELS",
    "PROJECT_ROLES",
    "REGISTRATION_LEVELS",
    "REGION_LEVELS",
    "REGION_LABELS",
    "LINKAGE_MODES",
    "ELEMENT_MODES",
    "Prop",
    "NodeLabel",
    "RelType",
    "Schema",
    "SCHEMA",
    "SIBLING_SCOPES",
    "ladybug_ddl",
    "ladybug_macros",
]

PropType = Literal["STRING", "INT64", "DOUBLE", "DATE", "BOOL"]

# Semantic checks a property's values must pass (see loaders/validate.py).
Check = Literal[
    "credit_code",      # 统一社会信用代码, GB 32100 check character
    "rating",           # 1A..5A
    "non_negative",
    "past_date",        # not after today
    "person_name",      # masked on import (张*明)
    "sensitive",        # never stored in clear: salted hash
    "star",             # 0..5
    "share",            # 0..1
]


@dataclass(frozen=True)
class Prop:
    """One property of a node label or relationship type."""

    name: str
    type: PropType
    zh: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class NodeLabel:
    """A node label; every node has a string ``id`` unique across the whole graph."""

    name: str
    zh: str
    en: str
    props: tuple[Prop, ...]
    element: str | None = None  # one of ELEMENTS for actor labels

    @property
    def all_props(self) -> tuple[Prop, ...]:
        return (Prop("id", "STRING", "编号", "ID", required=True), *self.props)

    def prop(self, name: str) -> Prop:
        for p in self.all_props:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class RelType:
    """A relationship type with the (start label, end label) pairs it may join."""

    name: str
    zh: str
    en: str
    pairs: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class Schema:
    nodes: tuple[NodeLabel, ...]
    rels: tuple[RelType, ...]
    _by_name: dict[str, NodeLabel | RelType] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for item in (*self.nodes, *self.rels):
            if item.name in self._by_name:
                raise ValueError(f"duplicate schema name {item.name}")
            self._by_name[item.name] = item
        labels = {n.name for n in self.nodes}
        for r in self.rels:
            for a, b in r.pairs:
                if a not in labels or b not in labels:
                    raise ValueError(f"{r.name} joins unknown label {a} or {b}")

    def node(self, name: str) -> NodeLabel:
        item = self._by_name.get(name)
        if not isinstance(item, NodeLabel):
            raise KeyError(name)
        return item

    def rel(self, name: str) -> RelType:
        item = self._by_name.get(name)
        if not isinstance(item, RelType):
            raise KeyError(name)
        return item

    @property
    def node_names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes)

    @property
    def rel_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rels)

    def element_of(self, label: str) -> str | None:
        return self.node(label).element


# The five elements, in the policy's order, with display names.
ELEMENTS: dict[str, tuple[str, str]] = {
    "community": ("社区", "Community"),
    "organization": ("社会组织", "Social organization"),
    "worker": ("社会工作者", "Social worker"),
    "volunteer": ("社区志愿者", "Community volunteer"),
    "charity": ("社会慈善资源", "Charity resource"),
}
ELEMENT_ORDER: tuple[str, ...] = tuple(ELEMENTS)

_NAME = Prop("name", "STRING", "名称", "Name", required=True)
_PERSON = Prop("name", "STRING", "姓名", "Name", checks=("person_name",))
_PHONE = Prop("phone", "STRING", "联系电话", "Phone", checks=("sensitive",))
_ID_NUMBER = Prop("id_number", "STRING", "身份证号", "ID number", checks=("sensitive",))
_CODE = Prop("code", "STRING", "统计用区划代码", "Division code")
_ACT = Prop("activities_12m", "INT64", "近12个月活动次数", "Activities (12 months)",
            checks=("non_negative",))
_ACT_MONTHS = Prop("active_months_12m", "INT64", "近12个月活跃月数",
                   "Active months (12 months)", checks=("non_negative",))

CATEGORIES = ("服务", "文体", "自治", "平安", "慈善", "志愿", "调解", "应急", "环保", "帮扶")
#: linkage modes (联动模式): name → (中文, English); docs/metrics.md §3
LINKAGE_MODES: dict[str, tuple[str, str]] = {
    "community_led": ("社区主导型", "community-led"),
    "organization_carrier": ("社会组织载体型", "organization-carrier"),
    "worker_driven": ("社会工作者牵引型", "worker-driven"),
    "volunteer_assisted": ("社区志愿者助力型", "volunteer-assisted"),
    "charity_leveraged": ("社会慈善资源撬动型", "charity-leveraged"),
    "mixed": ("混合型", "mixed"),
    "none": ("无项目", "no projects"),
}
#: the mode a community has when one element leads its projects
ELEMENT_MODES: dict[str, str] = {
    "community": "community_led", "organization": "organization_carrier",
    "worker": "worker_driven", "volunteer": "volunteer_assisted", "charity": "charity_leveraged",
}
#: the region levels, top-down: the one order every layer uses (bottom-up is its reverse)
REGION_LEVELS: tuple[str, ...] = ("province", "city", "county", "township", "community")
#: the node label of each region level below the province
REGION_LABELS: dict[str, str] = {"city": "City", "county": "County", "township": "Township",
                                 "community": "Community"}
#: levels of the registering civil-affairs authority (登记管理机关), highest first
REGISTRATION_LEVELS = ("province", "city", "county", "township")
SCENARIOS = (
    "调解纠纷", "一老一小", "困难帮扶", "孤困儿童关爱", "民生微实事", "小区治理", "睦邻文化",
)

NODES: tuple[NodeLabel, ...] = (
    NodeLabel("City", "市", "City", (_NAME, _CODE)),
    NodeLabel("County", "县(市、区)", "County", (_NAME, _CODE)),
    NodeLabel("Township", "乡镇(街道)", "Township", (
        _NAME, _CODE,
        Prop("kind", "STRING", "类型", "Kind", choices=("street", "town", "township", "other")),
    )),
    NodeLabel("Community", "社区", "Community", (
        _NAME, _CODE,
        Prop("kind", "STRING", "城乡类型", "Urban or rural", required=True,
             choices=("urban", "rural")),
        Prop("population", "INT64", "常住人口", "Population", checks=("non_negative",)),
        Prop("households", "INT64", "户数", "Households", checks=("non_negative",)),
        Prop("complex_star", "INT64", "服务综合体星级", "Service complex star", checks=("star",)),
        Prop("fulltime_workers", "INT64", "专职社区工作者数", "Full-time community workers",
             checks=("non_negative",)),
        Prop("certified_workers", "INT64", "持证专职社区工作者数",
             "Certified full-time community workers", checks=("non_negative",)),
    ), element="community"),
    NodeLabel("PartyCommittee", "社区党组织", "Party committee", (
        _NAME,
        Prop("is_big_committee", "BOOL", "是否大党委", "Big Party committee (大党委)"),
        Prop("member_units", "INT64", "成员单位数", "Member units", checks=("non_negative",)),
    ), element="community"),
    NodeLabel("Organization", "社会组织", "Social organization", (
        _NAME,
        Prop("credit_code", "STRING", "统一社会信用代码", "Unified social credit code",
             checks=("credit_code",)),
        Prop("filing_no", "STRING", "备案号", "Filing number"),
        Prop("form", "STRING", "组织形式", "Legal form",
             choices=("社会团体", "社会服务机构", "基金会", "备案")),
        Prop("category", "STRING", "类别", "Category", required=True, choices=CATEGORIES),
        Prop("rating", "STRING", "评估等级", "Rating", checks=("rating",)),
        Prop("rating_expiry", "DATE", "等级有效期至", "Rating valid until"),
        Prop("is_community_org", "BOOL", "是否社区社会组织", "Community social organization"),
        Prop("is_volunteer_service", "BOOL", "是否志愿服务类", "Volunteer-service organization"),
        Prop("registered_on", "DATE", "登记(备案)日期", "Registered on", checks=("past_date",)),
        # 登记管理机关层级: the level of the civil-affairs authority that registered (or, for
        # filed community organizations, recorded) it; the 4A+ target counts an organization
        # at that level and above (docs/metrics.md §1). Blank: the level of its base.
        Prop("registration_level", "STRING", "登记管理机关层级", "Registration authority level",
             choices=REGISTRATION_LEVELS),
        Prop("staff", "INT64", "专职人员数", "Staff", checks=("non_negative",)),
        _ACT, _ACT_MONTHS,
    ), element="organization"),
    NodeLabel("SocialWorker", "社会工作者", "Social worker", (
        _PERSON, _PHONE, _ID_NUMBER,
        Prop("certificate", "STRING", "职业资格", "Certificate", required=True,
             choices=("none", "assistant", "intermediate", "senior")),
        Prop("role", "STRING", "岗位", "Role", required=True,
             choices=("community_worker", "agency_worker", "station_worker")),
    ), element="worker"),
    NodeLabel("Station", "社工站/服务中心", "Station", (
        _NAME,
        Prop("kind", "STRING", "类型", "Kind", required=True,
             choices=("social_work_station", "org_service_center")),
        Prop("evaluated", "BOOL", "是否已等级评估", "Rating-evaluated"),
        # 登记的服务中心: only registered service centres count toward the 80% evaluation rate.
        Prop("registered", "BOOL", "是否已登记", "Registered (登记)"),
        Prop("certified_staff", "INT64", "持证社工数", "Certified staff", checks=("non_negative",)),
    ), element="worker"),
    NodeLabel("Volunteer", "志愿者", "Volunteer", (
        _PERSON, _PHONE, _ID_NUMBER,
        Prop("volunteer_no", "STRING", "志愿者编号", "Volunteer number"),
        Prop("hours_12m", "DOUBLE", "近12个月服务时长", "Service hours (12 months)",
             checks=("non_negative",)),
        _ACT, _ACT_MONTHS,
    ), element="volunteer"),
    NodeLabel("Foundation", "慈善资源", "Charity resource", (
        _NAME,
        Prop("kind", "STRING", "类型", "Kind", required=True,
             choices=("community_foundation", "charitable_fund", "enterprise_donor",
                      "individual_donor")),
        Prop("credit_code", "STRING", "统一社会信用代码", "Unified social credit code",
             checks=("credit_code",)),
        Prop("assets", "DOUBLE", "资金规模(元)", "Assets (yuan)", checks=("non_negative",)),
    ), element="charity"),
    NodeLabel("Project", "项目", "Project", (
        _NAME,
        Prop("scenario", "STRING", "应用场景", "Scenario", required=True, choices=SCENARIOS),
        Prop("year", "INT64", "年度", "Year", required=True, checks=("non_negative",)),
        Prop("budget", "DOUBLE", "预算(元)", "Budget (yuan)", checks=("non_negative",)),
        Prop("start_date", "DATE", "开始日期", "Start date", checks=("past_date",)),
    )),
    NodeLabel("Need", "居民需求", "Resident need", (
        Prop("category", "STRING", "需求类别", "Category", required=True, choices=SCENARIOS),
        Prop("description", "STRING", "描述", "Description"),
        Prop("raised_on", "DATE", "提出日期", "Raised on", checks=("past_date",)),
        Prop("status", "STRING", "状态", "Status", required=True,
             choices=("open", "in_progress", "met")),
    )),
)

# Labels that can take a role on a project.
ACTOR_LABELS: tuple[str, ...] = (
    "Community", "PartyCommittee", "Organization", "SocialWorker", "Station", "Volunteer",
    "Foundation",
)
# Project roles, in the order the linkage-mode score weighs them.
PROJECT_ROLES: tuple[str, ...] = ("INITIATED", "LEADS", "DELIVERS", "SERVES_IN", "FUNDS")


def _to_project(*labels: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, "Project") for a in labels)


RELS: tuple[RelType, ...] = (
    RelType("PART_OF", "隶属", "Part of",
            (("County", "City"), ("Township", "County"), ("Community", "Township"))),
    RelType("LEADS", "领导/牵头", "Leads",
            (("PartyCommittee", "Community"), *_to_project(*ACTOR_LABELS))),
    RelType("MEMBER_UNIT_OF", "大党委成员单位", "Member unit of",
            (("Organization", "PartyCommittee"), ("Foundation", "PartyCommittee"))),
    RelType("BASED_IN", "注册/驻在", "Based in",
            (("Organization", "Community"), ("Organization", "Township"),
             ("Foundation", "Community"), ("Foundation", "Township"))),
    RelType("SERVES", "服务", "Serves", (("Organization", "Community"),)),
    RelType("WORKS_AT", "任职于", "Works at",
            (("SocialWorker", "Community"), ("SocialWorker", "Organization"),
             ("SocialWorker", "Station"))),
    RelType("LOCATED_IN", "设在", "Located in", (("Station", "Township"),)),
    RelType("LIVES_IN", "居住于", "Lives in", (("Volunteer", "Community"),)),
    RelType("MEMBER_OF", "加入", "Member of", (("Volunteer", "Organization"),)),
    RelType("RUNS_IN", "实施于", "Runs in", (("Project", "Community"),)),
    RelType("INITIATED", "发起", "Initiated", _to_project(*ACTOR_LABELS)),
    RelType("DELIVERS", "承接/实施", "Delivers", _to_project(*ACTOR_LABELS)),
    RelType("SERVES_IN", "参与服务", "Serves in", _to_project("Volunteer", "SocialWorker"),
            (Prop("hours", "DOUBLE", "服务时长", "Hours", checks=("non_negative",)),)),
    RelType("FUNDS", "资助", "Funds",
            _to_project("Foundation", "Community", "PartyCommittee", "Organization"),
            (Prop("amount", "DOUBLE", "金额(元)", "Amount (yuan)", required=True,
                  checks=("non_negative",)),
             Prop("channel", "STRING", "渠道", "Channel", required=True,
                  choices=("government_purchase", "foundation_grant", "charitable_fund",
                           "donation", "self_funded")))),
    RelType("RAISED_IN", "提出于", "Raised in", (("Need", "Community"),)),
    RelType("ADDRESSES", "回应", "Addresses", (("Project", "Need"),)),
)

SCHEMA = Schema(NODES, RELS)

#: (child label, relationship, parent label): a name is used once among the children of
#: one parent (two 翠苑街道 in one county are one street entered twice, or a typo)
SIBLING_SCOPES: tuple[tuple[str, str, str], ...] = (
    ("Township", "PART_OF", "County"), ("Community", "PART_OF", "Township"),
    ("Organization", "BASED_IN", "Community"), ("Organization", "BASED_IN", "Township"),
)


def ladybug_ddl(schema: Schema = SCHEMA) -> list[str]:
    """Return the Ladybug DDL statements that create ``schema``.

    Examples
    --------
    >>> ddl = ladybug_ddl()
    >>> ddl[0]
    'CREATE NODE TABLE IF NOT EXISTS City(id STRING PRIMARY KEY, name STRING, code STRING)'
    """
    out = []
    for n in schema.nodes:
        cols = ", ".join(
            f"{p.name} {p.type}" + (" PRIMARY KEY" if p.name == "id" else "")
            for p in n.all_props
        )
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {n.name}({cols})")
    for r in schema.rels:
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in r.pairs)
        cols = "".join(f", {p.name} {p.type}" for p in r.props)
        out.append(f"CREATE REL TABLE IF NOT EXISTS {r.name}({ends}{cols})")
    return out


def ladybug_macros() -> list[str]:
    """Macros that give Ladybug the Neo4j function names the query library uses."""
    return [
        "CREATE MACRO type(r) AS label(r)",
        "CREATE MACRO head(l) AS list_extract(l, 1)",
        "CREATE MACRO last(l) AS list_extract(l, size(l))",
        "CREATE MACRO toString(x) AS cast(x AS STRING)",
        "CREATE MACRO toInteger(x) AS cast(x AS INT64)",
        "CREATE MACRO toFloat(x) AS cast(x AS DOUBLE)",
    ]
