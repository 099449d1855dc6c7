// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <functional>

namespace kerbside {

class CollectorStore;

struct SimulateOptions
{
    int caseStudies = 3;              // 0: the case studies already in the database
    qint64 responses = 1000;
    quint64 seed = 1;
    int batchSize = 500;              // responses per batch (one merge transaction each)
    int devicesPerCaseStudy = 3;
    double contactsPerResponse = 0.4; // approaches logged per interview, on average
    double refusalRate = 0.12;        // interviews refused at consent
    int poolSize = 2000;              // distinct interviews driven through Interview, then reused
};

struct SimulateResult
{
    qint64 responses = 0;
    qint64 contacts = 0;
    qint64 batches = 0;
    int caseStudies = 0;    // filled
    int pool = 0;           // distinct answer sets driven through the Interview
    int poolRejected = 0;   // driven interviews that could not be finalised (should stay 0)
    qint64 rejected = 0;    // items the collector's merge refused (should stay 0)
    QString firstRejection; // the merge's reason for the first refused response
    double poolSeconds = 0;
    double mergeSeconds = 0;
};

/** `kerbside simulate`: fills a collector database with synthetic fieldwork. Answers come from
 *  driving the core Interview page by page (relevance, choice filters and constraints obeyed:
 *  every answer is checked with Interview::checkValue and every interview must finalise),
 *  with refusals at consent and some optional questions skipped. Open-ended repeats get 0 to
 *  4 instances ("add another" with a falling chance), counted ones as many as their count
 *  answer says, each instance answered as the rest. A pool of such interviews is
 *  reused with fresh metadata: weekday daytime starts, 2-6 minute interviews (refusals under a
 *  minute), positions a few hundred metres around each case study's centre, several devices
 *  and enumerators per case study. Everything goes through BatchCodec and
 *  CollectorStore::mergeBatch, as a real upload does. Deterministic for a seed: the same seed
 *  gives the same UUIDs, so running it twice merges nothing new. */
class Simulator
{
public:
    // `form` must be the parsed `formJson`.
    Simulator(CollectorStore &store, const Form &form, const QByteArray &formJson, const SimulateOptions &options);

    SimulateResult run(); // throws CollectorError, ProtocolError
    void setProgress(std::function<void(qint64 responses)> progress) { m_progress = std::move(progress); }

    /** Drives one interview through `form`; returns its final answers (empty when it could
     *  not be finalised). `seed` picks the answers. */
    static QMap<QString, QString> driveInterview(const Form &form, quint64 seed, double refusalRate, bool *refused);

private:
    CollectorStore &m_store;
    const Form &m_form;
    QByteArray m_formJson;
    SimulateOptions m_options;
    std::function<void(qint64)> m_progress;
};

} // namespace kerbside
