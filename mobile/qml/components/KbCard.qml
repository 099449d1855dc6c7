// SPDX-License-Identifier: Apache-2.0
// A figure with its caption (counts on Home, sync status).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Rectangle {
    id: card
    property string value
    property string caption
    Layout.fillWidth: true
    Layout.fillHeight: true // cards in a row share one height
    implicitHeight: col.implicitHeight + 24
    implicitWidth: 160
    radius: 8
    color: KbTheme.surface
    border.width: KbTheme.borderWidth
    border.color: KbTheme.border
    ColumnLayout {
        id: col
        anchors.fill: parent
        anchors.margins: 12
        spacing: 2
        Label {
            Layout.fillWidth: true
            text: card.value
            font.pixelSize: KbTheme.fontHuge
            font.bold: true
            color: KbTheme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            Layout.fillWidth: true
            text: card.caption
            font.pixelSize: KbTheme.fontSmall
            color: KbTheme.textMuted
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
