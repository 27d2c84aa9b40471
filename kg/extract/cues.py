"""The words the deal rules look for, over folded text (Simplified script, lower case): deal
triggers, statuses and hedges, and the markers that give a party its role."""

from __future__ import annotations

import re

__all__ = [
    "ANAPHOR",
    "ANNOUNCED",
    "BUY",
    "CHIP_WORDS",
    "CLAUSE_END",
    "CN_MARK",
    "CN_PASSIVE",
    "CN_TARGET",
    "COMPUTE_WORDS",
    "CONTRACT",
    "COORD",
    "COUNTERFACTUAL",
    "DONE",
    "EN_MARK",
    "EXPORT",
    "FINANCING",
    "HEDGE",
    "HOLDER",
    "INVEST",
    "JOINT",
    "LICENCE",
    "LOI",
    "NEGATED",
    "NEGATION",
    "NEGOTIATION",
    "ORDER",
    "PARTNER",
    "POSITIVE_RANK",
    "RELY",
    "ROUND",
    "SELL",
    "SIGNED",
    "STATUS_RULES",
    "SUPPORT",
]


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# -- triggers (folded text) ----------------------------------------------------------------------
EXPORT = _re(r"出口|(?<![a-z])export")
LICENCE = _re(
    r"批准|核准|许可|执照|准许|允许|放行|获批|licen[cs]|approv|allow|permit|clear(?:ed|s)\b"
)
ROUND = _re(
    r"轮融资|融资轮|整轮融资|这轮.{0,12}融资|本轮.{0,8}融资|新一轮|funding round|financing round|"
    r"round of funding|(?<![a-z])rais(?:e|es|ed|ing)\b|series [a-h]\b|募资|募集资金"
)
FINANCING = _re(
    r"融资|贷款|借款|信贷|授信|发债|出资方|债权人|(?<![a-z])loans?\b|"
    r"(?<![a-z])lend(?:er|ers|ing|s)?\b|debt financing|project financ|credit facilit|"
    r"financing (?:package|deal|talks|for)|financier|(?<![a-z])financ(?:e|ed|ing) (?:the|a|its)\b"
)
INVEST = _re(
    r"投资|注资|入股|参股|认购|砸钱|投钱|领投|跟投|(?<![a-z])invest|(?<![a-z])stakes?\b|"
    r"(?<![a-z])(?:warrants?|subscrib\w*)\b|"
    r"(?<![a-z])back(?:ed|s|ing)\b|(?<=[\u4e00-\u9fff])投(?=\s*\d|[一二三四五六七八九十两]|资金)"
)
HOLDER = _re(r"的.{0,4}(?:投资者|投资人|股东)|(?:investor|shareholder|backer)s? in\b")
BUY = _re(
    r"采购|购买|订购|下单|(?<![a-z])(?:purchas\w*|buy|buys|buying|bought|procur\w*|rent\w*|"
    r"lease[sd]?|leasing)\b|(?<![a-z])spend\w* .{0,20}\bon\b"
)
SELL = _re(
    r"供应|出售|卖给|供货|交付|提供|(?:设计|打造|定制|开发)(?!能力)|(?<![a-z])(?:suppl(?:y|ies|ied|ying)|"
    r"sell(?:s|ing)?|sold|deliver\w*|provid(?:e|es|ed|ing)|design\w*|develop\w*|build\w*)\b"
)
ORDER = _re(r"订单|(?<![a-z])orders?\b")
CONTRACT = _re(r"合约|合同|协议|长约|(?<![a-z])(?:contract|deal|agreement|pact)s?\b")
JOINT = _re(
    r"共同开发|联合开发|合作开发|共同研发|联合研发|(?<![a-z])(?:co-develop\w*|jointly develop\w*)\b"
)
PARTNER = _re(
    r"共同开发|联合开发|合作开发|合作(?!伙伴)|战略联盟|联盟|联手|携手|(?<![a-z])(?:partner\w*|collaborat\w*|alliance|"
    r"team(?:s|ed)? up|joint venture)\b"
)
CHIP_WORDS = _re(
    r"芯片|晶片|gpu|asic|tpu|加速器|处理器|服务器|硬件|(?<![a-z])(?:chips?|accelerators?|"
    r"processors?|servers?|hardware|silicon)\b"
)
COMPUTE_WORDS = _re(
    r"云|算力|运算资源|计算资源|计算容量|计算能力|运算能力|(?<![a-z])(?:cloud|compute|computing|"
    r"azure|aws|capacity)\b"
)

# -- statuses ------------------------------------------------------------------------------------
STATUS_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("Denied", _re(r"否认|辟谣|不是承诺|(?<![a-z])(?:denied|denies|deny|denying)\b|"
                   r"not a commitment")),
    ("Withdrawn", _re(r"抽身|退出|撤出|撤资|撤回|"
                      r"(?<![a-z])(?:pull(?:ed|s|ing)? out|walk(?:ed|s)? away|"
                      r"withdr\w+|back(?:ed)? out|exit(?:ed|s)?)\b")),
    ("Cancelled", _re(r"取消|终止|告吹|谈崩|(?<![a-z])(?:called off|scrap\w*|cancel\w*|terminat\w*|"
                      r"collaps\w*|fell through|fall(?:s|en)? through)\b")),
    ("Stalled", _re(r"搁置|停滞|暂停|未到位|没打出去|没有到位|"
                    r"(?<![a-z])(?:stall\w*|on hold|paus\w*)\b")),
]  # fmt: skip
HEDGE = _re(
    r"如果|假如|若是|若(?=[\u4e00-\u9fff])|可能|或将|或许|据报道|据媒体报道|据外媒|据.{0,6}报道|报道说|"
    r"传出|传闻|消息人士|知情人士|考虑|准备下|"
    r"(?<![a-z])(?:if|may|might|could|would|reportedly|rumou?r\w*|considering|"
    r"according to (?:people|sources|reports?)|said to be|is said|sources said)\b"
)
#: the parties are reported to be in talks: the deal exists as a negotiation, nothing is signed
NEGOTIATION = _re(
    r"谈判|洽谈|磋商|商谈|协商|商讨|议价|在谈|谈的是|正在谈|(?<![a-z])(?:(?:in|held|holding|hold|"
    r"opened|started|advanced|exclusive) talks|talks (?:with|over|on|about|to)|negotiat\w*|"
    r"in (?:advanced |early |preliminary )?discussions?|discussing|"
    r"in (?:advanced |early )?negotiations?)\b"
)
LOI = _re(r"意向|备忘录|框架协议|(?<![a-z])(?:letter of intent|memorandum|mou|non-binding)\b")
SIGNED = _re(r"签署|签订|签约|(?<![a-z])(?:signed|inked|definitive)\b")
DONE = _re(r"已完成|完成了|交割|已经投资|已投资|(?<![a-z])(?:completed|closed|finali[sz]ed)\b")
ANNOUNCED = _re(r"宣布|公布|发布|(?<![a-z])(?:announc\w*|unveil\w*)\b")

# -- markers -------------------------------------------------------------------------------------
CN_TARGET = ("向", "对", "给", "在", "为")
CN_PASSIVE = ("获得", "获", "由", "被", "得到", "接受")
EN_MARK = re.compile(r"(?:^|\s)(in|into|from|to|with|by|for|of|and|between|on)\s*$")
CN_MARK = re.compile(
    r"(获得|得到|接受|向|对|给|在|(?<![成作认视])为|从|与|跟|同|和|及|、|获|由|被|入股|认购)\s*$"
)
CLAUSE_END = re.compile(r"[,，;；:：]")
COORD = re.compile(
    r"^\s*(?:和|与|及|、|,|以及|甚至|乃至|还有|and|&|as well as|even)\s*$|^\s*,?\s*(?:and|even)\s*$"
)
ANAPHOR = _re(r"双方|两家公司|两家企业|两者|both companies|the two companies|the pair|both sides")
COUNTERFACTUAL = _re(r"如果当年|如果当初|要是当年|假如当年|若当年|(?<![a-z])if .{0,40}\bhad\b")
SUPPORT = _re(r"资金支持|资金支援|财务支持|(?<![a-z])(?:financial backing|funding support)\b")
RELY = _re(r"依赖|依靠|仰赖|(?<![a-z])(?:rel(?:y|ies|ied) on|depend(?:s|ed)? on)\b")
NEGATED = _re(r"(?:不是|并非|并不是|没有|(?<![a-z])not|never)\s*\S{0,8}$")
NEGATION = _re(
    r"(?:未|没有|并未|不会|不再|从未|(?<![a-z])(?:not|never|no longer)\b)[^,，。]{0,10}$"
)
POSITIVE_RANK = {
    "Rumoured": 1,
    "InNegotiation": 2,
    "Announced": 3,
    "LetterOfIntent": 4,
    "DefinitiveAgreement": 5,
    "Completed": 6,
}
