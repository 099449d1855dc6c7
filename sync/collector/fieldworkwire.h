// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace kerbside {

class CollectorStore;
namespace v1 {
class FormManifest;
}

/** Adds the fieldwork plan (quotas, current area, counters) of each of `caseStudies` that has
 *  one to the manifest a device downloads with its forms (FormManifest.plans). */
void addFieldworkPlans(CollectorStore &store, const QStringList &caseStudies, v1::FormManifest *manifest);

} // namespace kerbside
