"""Display names of enumerated values: what a user types and reads for each stored code.

The schema stores enumerations as short codes (``urban``, ``street``, ``intermediate``…);
people write and read them in Chinese (城市社区, 街道, 社会工作师). This module is the one
table between the two: imports accept the code, the Chinese name, the English name or a
common synonym; pages and exports show the name in the user's language.

Names are keyed by property name and code, so the same code under two properties
(``township`` as a township's kind and as a registration level) can read differently.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from wushe.graph.schema import Prop

__all__ = ["CHOICE_NAMES", "choice_code_map", "choice_key", "choice_name", "choice_names",
           "with_choice_names"]

#: property name → code → (Chinese name, English name, *synonyms accepted on import)
CHOICE_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        # Township.kind
        "street": ("街道", "street", "街道办事处"),
        "town": ("镇", "town"),
        "township": ("乡", "township"),
        "other": ("其他", "other"),
        # Community.kind
        "urban": ("城市社区", "urban community", "城市", "城镇", "城镇社区", "居委会"),
        "rural": ("农村社区", "rural community", "农村", "村", "行政村", "乡村", "村委会"),
        # Station.kind
        "social_work_station": ("社会工作站", "social-work station", "社工站",
                                "乡镇(街道)社会工作站"),
        "org_service_center": ("社会组织服务中心", "social-organization service centre",
                               "服务中心"),
        # Foundation.kind
        "community_foundation": ("社区发展基金会", "community development foundation",
                                 "社区基金会"),
        "charitable_fund": ("慈善基金", "charitable fund", "关爱基金", "专项基金"),
        "enterprise_donor": ("企业捐赠方", "enterprise donor", "企业"),
        "individual_donor": ("个人捐赠者", "individual donor", "个人"),
    },
    "certificate": {
        "none": ("未持证", "no certificate", "无", "无证书", "未取得"),
        "assistant": ("助理社会工作师", "assistant social worker", "初级"),
        "intermediate": ("社会工作师", "social worker", "中级"),
        "senior": ("高级社会工作师", "senior social worker", "高级"),
    },
    "role": {
        "community_worker": ("专职社区工作者", "full-time community worker", "社区工作者"),
        "agency_worker": ("社工机构社工", "agency social worker", "机构社工"),
        "station_worker": ("社工站社工", "social-work station worker", "站点社工"),
    },
    "status": {
        "open": ("待回应", "open", "未满足", "未解决"),
        "in_progress": ("推进中", "in progress", "进行中", "处理中"),
        "met": ("已满足", "met", "已解决", "已完成"),
    },
    "channel": {
        "government_purchase": ("政府购买", "government purchase", "政府购买服务"),
        "foundation_grant": ("基金会资助", "foundation grant"),
        "charitable_fund": ("慈善基金", "charitable fund", "关爱基金", "专项基金"),
        "donation": ("捐赠", "donation", "社会捐赠"),
        "self_funded": ("自筹", "self-funded", "自筹资金"),
    },
    "registration_level": {
        "province": ("省级", "province", "省"),
        "city": ("市级", "city", "市"),
        "county": ("县级", "county", "县", "区", "县(市、区)级"),
        "township": ("乡镇(街道)级", "township", "乡镇", "街道"),
    },
}

_KEY_DROP = re.compile(r"[\s\u3000_\-]")


def choice_key(text: str) -> str:
    """Comparison key of a typed value: NFKC, no spaces/underscores/hyphens, lower case."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def choice_name(prop_name: str, code: object, lang: str = "zh") -> object:
    """The display name of stored ``code`` of property ``prop_name`` (others unchanged).

    Examples
    --------
    >>> choice_name("kind", "urban"), choice_name("kind", "urban", "en")
    ('城市社区', 'urban community')
    >>> choice_name("category", "文体")
    '文体'
    """
    names = CHOICE_NAMES.get(prop_name, {}).get(code) if isinstance(code, str) else None
    if not names:
        return code
    return names[0] if lang == "zh" else names[1]


def choice_names(prop: Prop, lang: str = "zh") -> list[str]:
    """Display names of every allowed value of ``prop``, in schema order."""
    return [str(choice_name(prop.name, c, lang)) for c in prop.choices]


def choice_code_map(prop: Prop) -> dict[str, str]:
    """Comparison key (see :func:`choice_key`) of every accepted spelling → stored code.

    The code itself, its Chinese and English names and the synonyms are accepted.
    """
    out: dict[str, str] = {}
    for code in prop.choices:
        for text in (code, *CHOICE_NAMES.get(prop.name, {}).get(code, ())):
            out.setdefault(choice_key(text), code)
    return out



def with_choice_names(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of ``df`` whose enumerated columns (named as in :data:`CHOICE_NAMES`) show
    display names instead of codes.

    Examples
    --------
    >>> with_choice_names(pd.DataFrame({"kind": ["urban", "rural"], "n": [1, 2]}))["kind"].tolist()
    ['城市社区', '农村社区']
    """
    out = df.copy()
    for col in out.columns:
        if col in CHOICE_NAMES and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v, c=col: choice_name(c, v, lang))
    return out
