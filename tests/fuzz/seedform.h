// SPDX-License-Identifier: Apache-2.0
// The small form the stored-pack fuzzers (fuzz_answerpack, fuzz_paradatapack) pack against:
// sorted question names age, best, consent, likes (make_seeds.py's packs count on them).
#pragma once

#include "answerdictionary.h"

#include "form/formloader.h"

namespace {

const char kSeedForm[] = R"({"format": "kerbside-form/1", "id": "seed", "version": "1", "title": {"en": "Seed"},
"default_language": "en", "languages": ["en"],
"choices": {"yn": [{"name": "yes", "label": {"en": "Yes"}}, {"name": "no", "label": {"en": "No"}}],
 "fruit": [{"name": "apple", "label": {"en": "A"}}, {"name": "pear", "label": {"en": "P"}}, {"name": "fig", "label": {"en": "F"}}]},
"questions": [
 {"name": "consent", "type": "consent", "label": {"en": "OK?"}, "choices": "yn"},
 {"name": "age", "type": "integer", "label": {"en": "Age"}},
 {"name": "likes", "type": "select_multiple", "label": {"en": "Likes"}, "choices": "fruit"},
 {"name": "best", "type": "select_one", "label": {"en": "Best"}, "choices": "fruit"}
]})";

// Its dictionary, built once.
const kerbside::AnswerDictionary &seedDictionary()
{
    static const kerbside::AnswerDictionary d(*kerbside::FormLoader::loadJson(QByteArray(kSeedForm)).form);
    return d;
}

} // namespace
