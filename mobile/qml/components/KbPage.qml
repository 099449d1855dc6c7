// SPDX-License-Identifier: Apache-2.0
// A screen: scrolls vertically when the text is large, content centred and width-limited.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Page {
    id: page
    default property alias content: column.data
    property alias flickable: flick
    property alias column: column

    background: Rectangle { color: KbTheme.background }

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: column.implicitHeight + 2 * KbTheme.margin
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        // Only on a page that scrolls: a short page gets no full-height bar.
        ScrollBar.vertical: ScrollBar {
            policy: flick.contentHeight > flick.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
        }

        ColumnLayout {
            id: column
            width: Math.min(flick.width - 2 * KbTheme.margin, KbTheme.maxContentWidth)
            x: (flick.width - width) / 2
            y: KbTheme.margin
            spacing: KbTheme.spacing
        }
    }

    KbScrollCue {
        flickable: flick
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 8
        z: 2
    }
}
