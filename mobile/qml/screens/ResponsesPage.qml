// SPDX-License-Identifier: Apache-2.0
// Responses on this device: drafts to resume or discard, completed, refused, discarded to restore.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

KbPage {
    id: page
    required property StoreService store
    required property Preferences prefs
    required property FormCatalogue catalogue
    signal resumeRequested(string uuid)

    ResponsesController {
        id: ctl
        objectName: "responsesController"
        store: page.store
        prefs: page.prefs
        catalogue: page.catalogue
    }

    KbHeading { big: true; text: KbTheme.tr.nav_responses }
    GridLayout {
        Layout.fillWidth: true
        columns: page.width > 700 && KbTheme.scale <= 1.25 ? 4 : 2
        columnSpacing: 8
        rowSpacing: 8
        Repeater {
            model: ctl.filters
            delegate: KbChoiceButton {
                required property string modelData
                objectName: "filter_" + modelData
                Layout.fillWidth: true
                compact: true
                text: KbTheme.tr["status_" + modelData]
                checked: ctl.filter === modelData
                onClicked: ctl.filter = modelData
            }
        }
    }
    KbLabel {
        visible: ctl.model.count === 0
        text: KbTheme.tr.responses_none
        muted: true
    }
    Column {
        id: rows
        Layout.fillWidth: true
        spacing: KbTheme.spacing
        Repeater {
            model: ctl.model
            delegate: Rectangle {
                id: row
                required property string uuid
                required property string formTitle
                required property string status
                required property string started
                required property string updated
                required property bool synced
                required property string progress
                objectName: "response_" + uuid
                width: rows.width
                implicitHeight: rowLayout.implicitHeight + 20
                radius: 8
                color: KbTheme.surface
                border.width: Math.max(1, KbTheme.borderWidth)
                border.color: KbTheme.border
                GridLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: 10
                    columns: page.width > 900 ? 2 : 1
                    ColumnLayout {
                        Layout.fillWidth: true
                        KbLabel { text: row.formTitle; font.bold: true }
                        KbLabel {
                            objectName: "responseInfo_" + row.uuid
                            // A draft says where it stopped; the others their state.
                            text: KbTheme.tr.started + " " + row.started + " · "
                                  + (row.status === "draft" && row.progress !== "" ? row.progress : KbTheme.tr["state_" + row.status])
                                  + (row.synced ? " · " + KbTheme.tr.synced : "")
                            muted: true
                            font.pixelSize: KbTheme.fontSmall
                        }
                    }
                    RowLayout {
                        spacing: 8
                        KbButton {
                            objectName: "resume_" + row.uuid
                            visible: row.status === "draft"
                            primary: true
                            text: KbTheme.tr.resume
                            onClicked: page.resumeRequested(row.uuid)
                        }
                        KbButton {
                            objectName: "discard_" + row.uuid
                            visible: row.status === "draft"
                            danger: true
                            text: KbTheme.tr.discard
                            onClicked: { confirm.uuid = row.uuid; confirm.open() }
                        }
                        KbButton {
                            objectName: "view_" + row.uuid
                            visible: row.status !== "draft" && row.status !== "discarded"
                            text: KbTheme.tr.view_answers
                            onClicked: if (ctl.view(row.uuid)) viewer.open()
                        }
                        KbButton {
                            objectName: "restore_" + row.uuid
                            visible: row.status === "discarded"
                            text: KbTheme.tr.restore
                            onClicked: ctl.restore(row.uuid)
                        }
                    }
                }
            }
        }

    }

    // A finalised interview, read-only: its answers as Review shows them, nothing to tap.
    Popup {
        id: viewer
        parent: Overlay.overlay
        modal: true
        enter: Transition {}
        exit: Transition {}
        x: 0
        y: 0
        width: parent ? parent.width : 800
        height: parent ? parent.height : 600
        padding: KbTheme.margin
        background: Rectangle { color: KbTheme.background }
        contentItem: ColumnLayout {
            objectName: "responseView" // on an item: tests find items, a Popup is not one
            spacing: KbTheme.spacing
            RowLayout {
                Layout.fillWidth: true
                spacing: KbTheme.spacing
                KbHeading { text: ctl.viewingTitle }
                KbButton {
                    objectName: "responseViewClose"
                    text: KbTheme.tr.close
                    onClicked: viewer.close()
                }
            }
            KbLabel { text: KbTheme.tr.read_only_interview; muted: true }
            Flickable {
                id: viewFlick
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentWidth: width
                contentHeight: viewRows.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {
                    policy: viewFlick.contentHeight > viewFlick.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                }
                Column {
                    id: viewRows
                    width: viewFlick.width - 16
                    spacing: 8
                    Repeater {
                        model: ctl.viewing
                        delegate: Rectangle {
                            id: answerRow
                            required property string name
                            required property string label
                            required property string answer
                            objectName: "viewed_" + name
                            width: viewRows.width
                            implicitHeight: answerCol.implicitHeight + 20
                            radius: 6
                            color: KbTheme.surface
                            border.width: KbTheme.borderWidth
                            border.color: KbTheme.border
                            ColumnLayout {
                                id: answerCol
                                anchors.fill: parent
                                anchors.margins: 10
                                spacing: 2
                                KbLabel { text: answerRow.label; muted: true; font.pixelSize: KbTheme.fontSmall }
                                KbLabel { text: answerRow.answer !== "" ? answerRow.answer : "—"; font.bold: true }
                            }
                        }
                    }
                }
            }
        }
    }

    KbConfirm {
        id: confirm
        property string uuid
        objectName: "discardConfirm"
        message: KbTheme.tr.discard_confirm
        confirmText: KbTheme.tr.discard
        onConfirmed: ctl.discard(uuid)
    }
}
