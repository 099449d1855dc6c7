// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "interview.h"
#include "store/devicestore.h"

#include <memory>

namespace kerbside::geo {
class Area;
}

namespace kerbside {

/** One interview being run on the device: the Interview's rules plus persistence. Every answer
 *  is written to the DeviceStore before answer() returns, the page shown is remembered for
 *  resuming, and paradata (shown / changed / language) is logged as the fieldworker moves.
 *  This is what the tablet's interview screen drives. Store failures propagate as StoreError. */
class InterviewSession
{
public:
    // Creates a new draft for `form` (form id/version taken from it) and applies defaults.
    static std::unique_ptr<InterviewSession> start(DeviceStore &store, const Form &form,
                                                   NewResponse meta);
    // Reopens a draft exactly where it stopped. Throws StoreError NotFound / Locked.
    static std::unique_ptr<InterviewSession> resume(DeviceStore &store, const Form &form,
                                                    const QString &uuid);

    const QString &uuid() const { return m_uuid; }
    Interview &interview() { return m_interview; }
    const Interview &interview() const { return m_interview; }

    int currentPage() const { return m_page; }
    // Shows a page: remembers it for resume and logs a "shown" event per question.
    void showPage(int page);
    // Stores the answer (and every calculation it changed) durably, logs "changed" and returns
    // the verdict on it. An invalid answer is still kept: the fieldworker may fix it later.
    AnswerCheck answer(const QString &question, const QString &value);
    // Repeats: on a RepeatEnd page, adds an instance and shows its first page; removes the
    // instance the current page belongs to and shows what follows. Both store every answer
    // and count they change in one transaction. False when not possible.
    bool addInstance();
    bool removeInstance();
    // Moves on when the current page is valid; otherwise stays and returns the first problem.
    AnswerCheck next();
    bool back();
    bool atEnd() const { return m_interview.nextPage(m_page) < 0; }

    void setLanguage(const QString &language);
    // The case study's area as this device holds it (i12); null: none. Later fixes are judged
    // against it and the judgement is stored with them.
    void setArea(std::shared_ptr<const geo::Area> area, int areaVersion);
    // Stores the fix and how it stands to the area; returns that judgement.
    AreaCheck setLocation(const Location &location);

    // Locks the response as complete (or refused after "no" at consent) and puts it in the
    // outbox with only its relevant answers. Returns the issues instead when it cannot.
    QList<FinaliseIssue> finalise(ResponseStatus *finalStatus = nullptr);
    // Stops the interview: after "yes" at consent it is kept as partial (answers so far, in the
    // outbox); before consent it is discarded (a soft delete). Returns which.
    ResponseStatus discard();
    // Ends the interview because the respondent's quota cell is full: locked as screened_out
    // (not eligible in the outcome rates) with the relevant answers given so far, in the outbox.
    void screenOut();

private:
    InterviewSession(DeviceStore &store, const Form &form, const QString &uuid,
                     const QString &language);
    void log(ParadataEvent::Kind kind, const QString &question = {}, const QString &detail = {});
    // Writes what changed between `before` and the interview's answers now (forms with repeats).
    void storeChanges(const QMap<QString, QString> &before);

    DeviceStore &m_store;
    Interview m_interview;
    QString m_uuid;
    int m_page = -1;
    std::shared_ptr<const geo::Area> m_area;
    int m_areaVersion = 0;
};

} // namespace kerbside
