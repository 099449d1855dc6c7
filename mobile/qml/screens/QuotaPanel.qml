// SPDX-License-Identifier: Apache-2.0
// Home's quota progress for the chosen case study: the total, then each group most needed first.
// Figures and wording come from QuotaController; this file only lays them out.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Rectangle {
    id: panel
    required property QuotaController controller
    objectName: "quotaPanel"
    visible: controller.hasPlan
    Layout.fillWidth: true
    implicitHeight: col.implicitHeight + 24
    radius: 8
    color: KbTheme.surface
    border.width: KbTheme.borderWidth
    border.color: KbTheme.border

    ColumnLayout {
        id: col
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8
        KbHeading { text: KbTheme.tr.quota_title }
        KbLabel {
            objectName: "quotaTotal"
            text: panel.controller.totalText
            font.bold: true
        }
        KbProgress {
            objectName: "quotaTotalBar"
            Layout.fillWidth: true
            value: panel.controller.fraction
        }
        KbLabel {
            objectName: "quotaAsOf"
            text: panel.controller.asOf
            muted: true
        }
        // Two columns of groups on a wide screen, one in portrait.
        GridLayout {
            Layout.fillWidth: true
            columns: panel.width > 900 ? 2 : 1
            columnSpacing: KbTheme.spacing * 2
            rowSpacing: 6
            Repeater {
                model: panel.controller.cells
                delegate: RowLayout {
                    id: cellRow
                    required property var modelData
                    required property int index
                    objectName: "quotaCell_" + index
                    Layout.fillWidth: true
                    spacing: KbTheme.spacing
                    KbLabel {
                        objectName: "quotaCellLabel_" + cellRow.index
                        Layout.fillWidth: true
                        text: cellRow.modelData.label
                        font.bold: !cellRow.modelData.full
                        color: cellRow.modelData.full ? KbTheme.textMuted : KbTheme.text
                    }
                    Label {
                        objectName: "quotaCellFigures_" + cellRow.index
                        text: cellRow.modelData.achieved + " / " + cellRow.modelData.target
                              + (cellRow.modelData.full ? " · " + KbTheme.tr.quota_cell_full : "")
                        font.pixelSize: KbTheme.fontBody
                        font.bold: true
                        color: cellRow.modelData.full ? KbTheme.good : KbTheme.text
                    }
                }
            }
        }
        KbLabel {
            objectName: "quotaScreenedOut"
            visible: panel.controller.screenedOut > 0
            text: KbTheme.tr.quota_screened_out.arg(panel.controller.screenedOut)
            muted: true
        }
        KbLabel {
            objectName: "quotaMode"
            text: panel.controller.modeText
            muted: true
        }
    }
}
