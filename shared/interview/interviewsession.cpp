// SPDX-License-Identifier: Apache-2.0
#include "interviewsession.h"

#include "geo/areacheck.h"
#include "form/repeatpath.h"

namespace kerbside {

InterviewSession::InterviewSession(DeviceStore &store, const Form &form, const QString &uuid,
                                   const QString &language)
    : m_store(store), m_interview(form, language), m_uuid(uuid)
{
}

std::unique_ptr<InterviewSession> InterviewSession::start(DeviceStore &store, const Form &form,
                                                          NewResponse meta)
{
    meta.formId = form.id;
    meta.formVersion = form.version;
    if (meta.language.isEmpty())
        meta.language = form.defaultLanguage;
    if (!meta.started.isValid())
        meta.started = QDateTime::currentDateTimeUtc();
    const QString uuid = store.createResponse(meta);
    std::unique_ptr<InterviewSession> s(new InterviewSession(store, form, uuid, meta.language));
    s->m_interview.applyDefaults();
    const QMap<QString, QString> initial = s->m_interview.answers();
    for (auto it = initial.cbegin(); it != initial.cend(); ++it)
        store.setAnswer(uuid, it.key(), it.value());
    s->showPage(s->m_interview.firstPage());
    return s;
}

std::unique_ptr<InterviewSession> InterviewSession::resume(DeviceStore &store, const Form &form,
                                                           const QString &uuid)
{
    const std::optional<Response> r = store.response(uuid);
    if (!r)
        throw StoreError(StoreError::Code::NotFound, QStringLiteral("no response %1").arg(uuid));
    if (r->meta.status != ResponseStatus::Draft)
        throw StoreError(StoreError::Code::Locked,
                         QStringLiteral("response %1 is %2, not a draft")
                             .arg(uuid, responseStatusName(r->meta.status)));
    std::unique_ptr<InterviewSession> s(new InterviewSession(store, form, uuid, r->meta.language));
    s->m_interview.load(r->answers);
    s->log(ParadataEvent::Kind::Resumed);
    int page = s->m_interview.pageOf(r->meta.cursor);
    if (page < 0 || !s->m_interview.isPageRelevant(page))
        page = s->m_interview.firstPage();
    s->showPage(page);
    return s;
}

void InterviewSession::log(ParadataEvent::Kind kind, const QString &question, const QString &detail)
{
    ParadataEvent e;
    e.responseUuid = m_uuid;
    e.time = QDateTime::currentDateTimeUtc();
    e.kind = kind;
    e.question = question;
    e.detail = detail;
    m_store.appendParadata(e);
}

void InterviewSession::showPage(int page)
{
    m_page = page;
    if (page < 0 || page >= m_interview.pageCount())
        return;
    const Page &p = m_interview.page(page);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<ParadataEvent> shown;
    for (const QString &key : p.keys) {
        if (m_interview.isRelevant(key))
            shown.append({m_uuid, now, ParadataEvent::Kind::Shown, key, {}});
    }
    // The cursor names the page for resume: its first answer key, or on an "add another"
    // page the repeat's count key (Interview::pageOf knows both).
    const QString cursor = p.kind == Page::Kind::RepeatEnd
        ? repeatpath::countKey(m_interview.form(), p.repeat, p.instance) : p.keys.value(0);
    m_store.recordPageShown(m_uuid, cursor, shown);
}

void InterviewSession::storeChanges(const QMap<QString, QString> &before)
{
    const QMap<QString, QString> after = m_interview.answers();
    QMap<QString, QString> set;
    QStringList clear;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (before.value(it.key()) != it.value())
            set.insert(it.key(), it.value());
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            clear.append(it.key());
    }
    if (!set.isEmpty() || !clear.isEmpty())
        m_store.changeAnswers(m_uuid, set, clear);
}

bool InterviewSession::addInstance()
{
    const QMap<QString, QString> before = m_interview.answers();
    const int page = m_interview.addInstance(m_page);
    if (page < 0)
        return false;
    storeChanges(before);
    log(ParadataEvent::Kind::Changed, repeatpath::countKey(m_interview.form(), m_interview.page(page).repeat,
                                                          m_interview.page(page).instance.mid(0, m_interview.page(page).instance.size() - 1)));
    showPage(page);
    return true;
}

bool InterviewSession::removeInstance()
{
    if (!m_interview.canRemoveInstance(m_page))
        return false;
    const Page removed = m_interview.page(m_page);
    const QMap<QString, QString> before = m_interview.answers();
    const int page = m_interview.removeInstance(m_page);
    storeChanges(before);
    log(ParadataEvent::Kind::Changed, repeatpath::countKey(m_interview.form(), removed.repeat,
                                                          removed.instance.mid(0, removed.instance.size() - 1)));
    showPage(page >= 0 ? page : m_interview.previousPage(m_interview.pageCount()));
    return true;
}

AnswerCheck InterviewSession::answer(const QString &questionIn, const QString &value)
{
    const QString question = questionIn; // may be a key of a page that the answer lays out anew
    if (m_interview.form().hasRepeats()) {
        // Answers may change instance counts (repeat_count) and calculations in any instance.
        const QMap<QString, QString> before = m_interview.answers();
        m_interview.setAnswer(question, value);
        storeChanges(before);
        log(ParadataEvent::Kind::Changed, question);
        return m_interview.check(question);
    }
    const QStringList changed = m_interview.setAnswer(question, value);
    if (value.isEmpty())
        m_store.clearAnswer(m_uuid, question);
    else
        m_store.setAnswer(m_uuid, question, value);
    // Calculations that follow from this answer are stored too, so exports carry them.
    const Form &form = m_interview.form();
    for (qsizetype i = 1; i < changed.size(); ++i) {
        const Question *q = form.question(changed[i]);
        if (!q || q->calculation.isNull())
            continue;
        const QString v = m_interview.answer(q->name);
        if (v.isEmpty())
            m_store.clearAnswer(m_uuid, q->name);
        else
            m_store.setAnswer(m_uuid, q->name, v);
    }
    log(ParadataEvent::Kind::Changed, question);
    return m_interview.check(question);
}

AnswerCheck InterviewSession::next()
{
    const AnswerCheck verdict = m_interview.checkPage(m_page);
    if (!verdict.ok())
        return verdict;
    const int next = m_interview.nextPage(m_page);
    if (next >= 0)
        showPage(next);
    return verdict;
}

bool InterviewSession::back()
{
    const int previous = m_interview.previousPage(m_page);
    if (previous < 0)
        return false;
    showPage(previous);
    return true;
}

void InterviewSession::setLanguage(const QString &language)
{
    if (language == m_interview.language())
        return;
    m_interview.setLanguage(language);
    m_store.setLanguage(m_uuid, language);
    log(ParadataEvent::Kind::LanguageSwitched, {}, language);
}

void InterviewSession::setArea(std::shared_ptr<const geo::Area> area, int areaVersion)
{
    m_area = std::move(area);
    m_areaVersion = m_area ? areaVersion : 0;
}

AreaCheck InterviewSession::setLocation(const Location &location)
{
    const AreaCheck check = geo::checkAgainstArea(m_area.get(), m_areaVersion, location);
    m_store.setLocation(m_uuid, location, check);
    return check;
}

QList<FinaliseIssue> InterviewSession::finalise(ResponseStatus *finalStatus)
{
    const QList<FinaliseIssue> issues = m_interview.finaliseIssues();
    if (!issues.isEmpty())
        return issues;
    const ResponseStatus status = m_interview.isRefusal() ? ResponseStatus::Refused : ResponseStatus::Complete;
    log(ParadataEvent::Kind::Finalised);
    m_store.finalise(m_uuid, status, m_interview.finalAnswers().keys(), QDateTime::currentDateTimeUtc());
    if (finalStatus)
        *finalStatus = status;
    return {};
}

ResponseStatus InterviewSession::discard()
{
    // Broken off after the respondent consented: an AAPOR partial, kept with the answers given
    // (so it counts in the outcome rates) instead of vanishing as a discarded draft.
    bool consented = false;
    for (int i = 0; i < m_interview.form().questions.size(); ++i) {
        const Question &q = m_interview.form().questions[i];
        consented |= q.type == QuestionType::Consent && m_interview.isRelevant(i)
                     && m_interview.answer(q.name) == QLatin1String("yes");
    }
    if (!consented || m_interview.isRefusal()) {
        m_store.discard(m_uuid);
        return ResponseStatus::Discarded;
    }
    log(ParadataEvent::Kind::Finalised);
    m_store.finalise(m_uuid, ResponseStatus::Partial, m_interview.finalAnswers().keys(), QDateTime::currentDateTimeUtc());
    return ResponseStatus::Partial;
}

void InterviewSession::screenOut()
{
    log(ParadataEvent::Kind::Finalised);
    m_store.finalise(m_uuid, ResponseStatus::ScreenedOut, m_interview.finalAnswers().keys(),
                     QDateTime::currentDateTimeUtc());
}

} // namespace kerbside
