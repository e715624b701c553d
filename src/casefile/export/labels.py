"""The words of the customer's pages, in Chinese and English (`export --lang zh|en`)."""

from __future__ import annotations

from collections.abc import Mapping

from casefile.cases.vocabulary import VOCABULARY_TABLES, document_word

LANGUAGES = ("zh", "en")

PAGE: dict[str, dict[str, str]] = {
    "en": {
        "history_of": "Case history of", "cases": "Cases", "no_cases": "No cases.", "case": "Case",
        "title": "Title", "status": "Status", "opened": "Opened", "closed": "Closed", "all_cases": "all cases of",
        "all_records": "all records of", "caller": "Caller", "resolution": "Resolution",
        "confirmed_by": "Confirmed by", "description": "Description", "waiting": "Waiting times",
        "from": "From", "until": "Until", "waiting_for": "Waiting for", "reason": "Reason",
        "still_waiting": "still waiting", "activity": "Activity", "files": "Files", "when": "When", "who": "Who", "what": "What",
        "details": "Details", "related": "Related cases", "notes": "Notes", "generated": "Generated",
        "for": " for ", "stop": ".", "own_only": "This page shows your own records only.", "lang": "en",
        "surveys": "Satisfaction surveys", "inspections": "Inspections",
        "survey": "Satisfaction survey", "inspection": "Inspection",
    },
    "zh": {
        "history_of": "服务记录：", "cases": "服务记录", "no_cases": "没有服务记录。", "case": "编号",
        "title": "标题", "status": "状态", "opened": "受理时间", "closed": "关闭时间", "all_cases": "返回全部记录：",
        "all_records": "返回全部记录：", "caller": "报修人", "resolution": "解决方案",
        "confirmed_by": "确认人", "description": "问题描述", "waiting": "等待时间",
        "from": "开始", "until": "结束", "waiting_for": "等待", "reason": "原因",
        "still_waiting": "仍在等待", "activity": "处理过程", "files": "附件", "when": "时间", "who": "人员", "what": "事项",
        "details": "说明", "related": "相关记录", "notes": "备注", "generated": "生成于",
        "for": "，客户：", "stop": "。", "own_only": "本页只包含贵单位自己的记录。", "lang": "zh-CN",
        "surveys": "满意度调查", "inspections": "巡检",
        "survey": "满意度调查", "inspection": "巡检",
    },
}

FIELDS: dict[str, dict[str, str]] = {
    "en": {
        "type": "Type", "level": "Fault level", "status": "Status", "channel": "Channel", "category": "Category",
        "assignee": "Engineer", "opened_at": "Opened", "responded_at": "First response", "onsite_at": "On site",
        "resolved_at": "Service restored", "closed_at": "Closed", "waiting_on": "Waiting for",
        "dispatched_at": "Dispatched", "arrived_at": "Arrived", "authorised_by": "Authorised by",
        "case": "Case", "issued_at": "Issued", "answered_at": "Answered", "answered_by": "Answered by",
        "opinions": "Opinions and suggestions", "score": "Mean score", "period": "Period",
        "planned_on": "Planned for", "inspected_on": "Inspected on", "inspector": "Inspector",
        "work_order": "Work order", "findings": "Findings", "suggestions": "Suggestions", "training": "Training",
        "summary": "System running status", "equipment": "Equipment changed", "checklist": "Checklist",
        "item": "Item", "result": "Result", "note": "Note", "question": "Question", "answer": "Answer",
        "confirmed_by": "Confirmed by",
    },
    "zh": {
        "type": "类型", "level": "故障级别", "status": "状态", "channel": "受理渠道", "category": "分类",
        "assignee": "工程师", "opened_at": "受理时间", "responded_at": "首次响应", "onsite_at": "到场时间",
        "resolved_at": "恢复服务", "closed_at": "关闭时间", "waiting_on": "等待",
        "dispatched_at": "派出时间", "arrived_at": "到达时间", "authorised_by": "授权人",
        "case": "服务记录", "issued_at": "发出时间", "answered_at": "答复时间", "answered_by": "答复人",
        "opinions": "意见和建议", "score": "平均分", "period": "周期",
        "planned_on": "计划日期", "inspected_on": "巡检日期", "inspector": "巡检人",
        "work_order": "派工单", "findings": "发现的问题", "suggestions": "建议", "training": "培训",
        "summary": "系统运行状态", "equipment": "设备变更", "checklist": "检查项目",
        "item": "项目", "result": "结果", "note": "说明", "question": "问题", "answer": "评价",
        "confirmed_by": "确认人",
    },
}

VALUES: dict[str, dict[str, str]] = {
    "en": {
        # a case's types and channels: the case vocabulary's names (`value_label`); its statuses, as the
        # customer is told them
        "open": "Open", "pending": "Waiting", "resolved": "Service restored",
        "closed": "Closed", "customer": "the customer", "vendor": "the vendor", "planned": "Planned", "done": "Done",
        "cancelled": "Cancelled", "issued": "Issued", "sent": "Sent", "answered": "Answered", "expired": "Expired",
        "ok": "OK", "attention": "Needs attention", "fault": "Fault", "n/a": "n/a", "not-checked": "Not checked",
        "replaced": "Replaced", "added": "Added", "retired": "Retired",
    },
    "zh": {
        "open": "处理中", "pending": "等待中", "resolved": "已恢复", "closed": "已关闭", "customer": "客户",
        "vendor": "厂商", "planned": "已计划", "done": "已完成", "cancelled": "已取消", "issued": "已发出",
        "sent": "已发送", "answered": "已答复", "expired": "已过期", "ok": "正常", "attention": "需关注",
        "fault": "故障", "n/a": "不适用", "not-checked": "未检查", "replaced": "更换", "added": "新增",
        "retired": "停用",
    },
}

EVENTS: dict[str, dict[str, str]] = {
    "en": {
        "opened": "Case opened", "responded": "First response", "paused": "Waiting", "resumed": "Work resumed",
        "resolved": "Service restored", "closed": "Closed", "reopened": "Reopened", "note": "Note",
        "call": "Phone call", "reply": "Reply", "remote": "Remote session", "onsite": "On-site visit",
        "progress": "Progress report", "report": "Incident report",
    },
    "zh": {
        "opened": "受理", "responded": "首次响应", "paused": "等待", "resumed": "恢复处理", "resolved": "恢复服务",
        "closed": "关闭", "reopened": "重新打开", "note": "记录", "call": "电话", "reply": "答复",
        "remote": "远程支持", "onsite": "现场服务", "progress": "进展通报", "report": "事件报告",
    },
}


def value_label(lang: str, value: object) -> str:
    """A value of a record as the customer's page shows it: a type or channel by the case vocabulary's name
    (one table: cases.vocabulary, its Chinese in the catalog), anything else from `VALUES`."""
    text = "" if value is None else str(value)
    for kind in ("types", "channels"):
        if text in VOCABULARY_TABLES[kind]:
            said = document_word(kind, text, lang)
            return said[:1].upper() + said[1:]
    return VALUES[lang].get(text, text)


def field_label(lang: str, key: str) -> str:
    return FIELDS[lang].get(key, key)


def page(lang: str) -> Mapping[str, str]:
    return PAGE[lang]
