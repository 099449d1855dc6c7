// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exportoptions.h"
#include "exporttable.h"
#include "locationgrid.h"

#include "store/storetypes.h"

namespace kerbside {

/** The contact log (approaches that did not become interviews) as a table. The free-text note
 *  may name people, so it is treated as sensitive: left out unless --include-sensitive. */
class ContactTable
{
public:
    explicit ContactTable(const ExportOptions &options);

    ExportTable &table() { return m_table; }
    const ExportRow &row(const ContactEntry &contact);

private:
    ExportOptions m_options;
    LocationGrid m_grid;
    ExportTable m_table;
    ExportRow m_row;
};

} // namespace kerbside
