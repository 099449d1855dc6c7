// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Label {
    property bool muted: false
    Layout.fillWidth: true
    wrapMode: Text.Wrap
    font.pixelSize: KbTheme.fontBody
    color: muted ? KbTheme.textMuted : KbTheme.text
}
