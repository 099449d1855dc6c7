// SPDX-License-Identifier: Apache-2.0
#include "uistrings.h"

namespace kerbside {

namespace {

struct Row
{
    const char *id;
    const char *en;
    const char *pl;
};

// One row per id, English then Polish. Keep ids lower_snake_case; QML reads KbTheme.tr.<id>.
constexpr Row kRows[] = {
    {"nav_home", "Home", "Start"},
    {"nav_responses", "Responses", "Wywiady"},
    {"nav_sync", "Sync", "Synchronizacja"},
    {"nav_settings", "Settings", "Ustawienia"},
    {"yes", "Yes", "Tak"},
    {"no", "No", "Nie"},
    {"cancel", "Cancel", "Anuluj"},
    {"confirm_yes", "Yes", "Tak"},
    {"save", "Save", "Zapisz"},
    {"dismiss", "OK", "OK"},
    {"store_error", "Could not save on this tablet:", "Nie udało się zapisać na tablecie:"},
    // First run
    {"firstrun_title", "Welcome to Kerbside", "Witamy w Kerbside"},
    {"firstrun_intro", "Tell us who is interviewing on this tablet. You can change this later in Settings.",
     "Podaj, kto prowadzi wywiady na tym tablecie. Można to później zmienić w Ustawieniach."},
    {"enumerator_name", "Your name or interviewer ID", "Imię lub identyfikator ankietera"},
    {"device_name", "Name of this tablet", "Nazwa tego tabletu"},
    {"device_name_hint", "e.g. Tablet 3", "np. Tablet 3"},
    {"offline_only", "Offline only", "Tylko offline"},
    {"use_collector", "Send to a collector", "Wysyłaj do serwera"},
    {"collector_url", "Collector address", "Adres serwera"},
    {"enrolment_code", "Enrolment code", "Kod rejestracji"},
    {"firstrun_finish", "Start", "Rozpocznij"},
    {"firstrun_need_name", "Please enter your name or interviewer ID.", "Wpisz imię lub identyfikator ankietera."},
    {"firstrun_bad_url", "The collector address must start with http:// or https://.",
     "Adres serwera musi zaczynać się od http:// lub https://."},
    {"firstrun_need_code", "Please enter the enrolment code from your supervisor.",
     "Wpisz kod rejestracji otrzymany od koordynatora."},
    {"firstrun_enrolling", "Enrolling this tablet with the collector…", "Rejestrowanie tabletu na serwerze…"},
    {"firstrun_enrol_failed", "This tablet could not be enrolled. Check the address and the code, or choose Offline only and enrol later on the Sync screen.",
     "Nie udało się zarejestrować tabletu. Sprawdź adres i kod albo wybierz Tylko offline i zarejestruj później na ekranie Synchronizacja."},
    // Home
    {"draft_waiting", "Unfinished interview:", "Niedokończony wywiad:"},
    {"resume", "Resume", "Wznów"},
    {"draft_progress", "page %1 of %2, %3", "strona %1 z %2, %3"},
    {"ago_now", "just now", "przed chwilą"},
    {"ago_minutes", "%1 min ago", "%1 min temu"},
    {"ago_hours", "%1 h ago", "%1 godz. temu"},
    {"case_study", "Case study", "Obszar badania"},
    {"case_studies", "Case studies", "Obszary badania"},
    {"no_case_study", "No case study yet", "Brak obszaru badania"},
    {"add_demo_case_studies", "Add the demo case studies", "Dodaj przykładowe obszary"},
    {"form", "Questionnaire", "Kwestionariusz"},
    {"no_forms", "No questionnaires on this tablet.", "Brak kwestionariuszy na tym tablecie."},
    {"count_today", "Interviews and refusals today", "Wywiady i odmowy dzisiaj"},
    {"count_all", "Interviews and refusals, all", "Wywiady i odmowy, razem"},
    {"count_waiting", "Interviews, refusals and approaches waiting to sync",
     "Wywiady, odmowy i podejścia do wysłania"},
    {"start_interview", "Start interview", "Rozpocznij wywiad"},
    {"log_approach", "Log approach", "Zapisz podejście"},
    {"observed_optional", "Observed (optional): age band, gender",
     "Zaobserwowane (opcjonalnie): wiek, płeć"},
    {"approach_logged", "Approach saved.", "Podejście zapisane."},
    {"approach_unknown", "Unknown outcome.", "Nieznany wynik."},
    {"disposition_refused", "Refused", "Odmowa"},
    {"disposition_not_resident", "Not a resident", "Nie mieszka tu"},
    {"disposition_ineligible", "Not eligible", "Nie kwalifikuje się"},
    {"disposition_language_barrier", "Language barrier", "Bariera językowa"},
    {"disposition_come_back_later", "Come back later", "Proszę przyjść później"},
    {"disposition_other", "Other", "Inne"},
    {"gender_female", "Woman", "Kobieta"},
    {"gender_male", "Man", "Mężczyzna"},
    {"gender_other", "Other", "Inna"},
    // Interview
    {"pause", "Pause", "Przerwij"},
    {"back", "Back", "Wstecz"},
    {"next", "Next", "Dalej"},
    // Repeat groups ("%1" is the repeat's label from the form, e.g. "Person" / "Osoba")
    {"repeat_question_first", "Add “%1”?", "Dodać pozycję „%1”?"},
    {"repeat_question", "Add another “%1”?", "Dodać kolejną pozycję „%1”?"},
    {"repeat_count", "Added so far: %1", "Dodano do tej pory: %1"},
    {"repeat_add_first", "Add: %1", "Dodaj: %1"},
    {"repeat_add_another", "Add another: %1", "Dodaj kolejną: %1"},
    {"repeat_no_more", "No more ›", "Nie, dalej ›"},
    {"repeat_full", "No more can be added here.", "Nie można dodać więcej pozycji."},
    {"repeat_remove", "Remove: %1", "Usuń: %1"},
    {"repeat_remove_confirm", "Remove “%1” with all its answers?", "Usunąć „%1” razem ze wszystkimi odpowiedziami?"},
    {"repeat_remove_ok", "Remove", "Usuń"},
    {"to_review", "Review answers", "Przegląd odpowiedzi"},
    {"back_to_review", "Back to review", "Wróć do przeglądu"},
    {"review", "Review", "Przegląd"},
    {"review_title", "Check the answers", "Sprawdź odpowiedzi"},
    {"review_hint", "Tap an answer to change it.", "Dotknij odpowiedzi, aby ją zmienić."},
    {"review_has_issues", "Some answers need attention before you can finalise. Tap one to fix it.",
     "Niektóre odpowiedzi wymagają poprawy przed zakończeniem. Dotknij, aby poprawić."},
    {"finalise", "Finalise", "Zakończ"},
    {"end_refusal", "End interview (refusal)", "Zakończ wywiad (odmowa)"},
    {"refusal_note", "The respondent said no: the interview will end as a refusal.",
     "Respondent odmówił: wywiad zostanie zakończony jako odmowa."},
    {"finished_complete", "Interview saved", "Wywiad zapisany"},
    {"finished_refused", "Refusal recorded", "Odmowa zapisana"},
    {"finished_saved", "It is stored on this tablet and waits to be synced.",
     "Jest zapisany na tablecie i czeka na wysłanie."},
    {"next_respondent", "Next respondent", "Następny respondent"},
    {"not_answered", "Not answered yet", "Jeszcze bez odpowiedzi"},
    {"day", "Day", "Dzień"},
    {"month", "Month", "Miesiąc"},
    {"year", "Year", "Rok"},
    {"hour", "Hour", "Godzina"},
    {"minute", "Minute", "Minuta"},
    {"today", "Today", "Dzisiaj"},
    {"now", "Now", "Teraz"},
    {"gps_none", "No GPS on this tablet", "Brak GPS w tym tablecie"},
    {"gps_waiting", "GPS: waiting", "GPS: oczekiwanie"},
    {"gps_recorded", "GPS: recorded", "GPS: zapisany"},
    {"gps_waiting_fix", "Waiting for a GPS fix…", "Oczekiwanie na sygnał GPS…"},
    {"gps_needed", "Needs accuracy of %1 m or better", "Wymagana dokładność %1 m lub lepsza"},
    {"gps_use", "Use this position", "Użyj tej pozycji"},
    {"gps_saved", "Saved:", "Zapisano:"},
    {"gps_continue_without", "Continue without location", "Kontynuuj bez lokalizacji"},
    {"no_location_warning", "No location was recorded for this interview. You can still finalise it.",
     "Dla tego wywiadu nie zapisano lokalizacji. Nadal można go zakończyć."},
    {"clear_answer", "Clear answer", "Usuń odpowiedź"},
    {"rank_up", "Up", "Wyżej"},
    {"rank_down", "Down", "Niżej"},
    {"rank_keep", "Keep this order", "Zostaw tę kolejność"},
    {"geo_add_point", "Add this point", "Dodaj ten punkt"},
    {"geo_remove_point", "Remove last point", "Usuń ostatni punkt"},
    {"geo_points", "Points recorded: %1", "Zapisane punkty: %1"},
    {"more_below", "More below", "Więcej poniżej"},
    {"question_list", "Questions", "Pytania"},
    {"question_list_title", "Go to a question", "Przejdź do pytania"},
    {"close", "Close", "Zamknij"},
    {"read_only_answer", "Filled in automatically: it cannot be changed here.",
     "Wypełniane automatycznie: nie można tego tutaj zmienić."},
    // Responses
    {"status_draft", "Drafts", "Robocze"},
    {"status_complete", "Completed", "Zakończone"},
    {"status_refused", "Refused", "Odmowy"},
    {"status_discarded", "Discarded", "Odrzucone"},
    {"status_partial", "Partial", "Częściowe"},
    {"status_screened_out", "Screened out", "Odsiane"},
    {"responses_none", "Nothing here.", "Brak pozycji."},
    {"state_draft", "Unfinished", "Niedokończony"},
    {"state_complete", "Completed", "Zakończony"},
    {"state_refused", "Refused", "Odmowa"},
    {"state_discarded", "Discarded", "Odrzucony"},
    {"view_answers", "View answers", "Zobacz odpowiedzi"},
    {"read_only_interview", "This interview is finished: its answers can be read, not changed.",
     "Ten wywiad jest zakończony: odpowiedzi można przeczytać, ale nie zmienić."},
    {"started", "Started", "Rozpoczęty"},
    {"synced", "synced", "wysłany"},
    {"discard", "Discard", "Odrzuć"},
    {"restore", "Restore", "Przywróć"},
    {"discard_confirm", "Stop this unfinished interview? After a yes at consent it is kept as partial; "
                        "before that it is discarded, and you can restore it until the next sync.",
     "Przerwać ten niedokończony wywiad? Po zgodzie respondenta zostaje zapisany jako częściowy; "
     "wcześniej jest odrzucany i można go przywrócić do następnej synchronizacji."},
    // Sync
    {"sync_now", "Sync now", "Synchronizuj teraz"},
    {"sync_status_notSetUp", "This tablet is not enrolled with a collector yet: everything stays safely on it.",
     "Ten tablet nie jest jeszcze zarejestrowany na serwerze: wszystko zostaje bezpiecznie na nim."},
    {"sync_status_idle", "Ready to sync.", "Gotowe do synchronizacji."},
    {"sync_status_enrolling", "Enrolling this tablet…", "Rejestrowanie tabletu…"},
    {"sync_status_syncing", "Syncing…", "Synchronizacja…"},
    {"sync_status_exporting", "Saving to the USB stick…", "Zapisywanie na pendrive…"},
    {"sync_status_failed", "That did not work. See the last result below; nothing was lost.",
     "To się nie udało. Zobacz ostatni wynik poniżej; nic nie zginęło."},
    {"sync_status_done", "Finished.", "Zakończono."},
    {"sync_offline_only", "This tablet is set to offline only. Enrol it to send to a collector.",
     "Ten tablet działa tylko offline. Zarejestruj go, aby wysyłać na serwer."},
    {"sync_collector", "Collector:", "Serwer:"},
    {"sync_last_result", "Last result", "Ostatni wynik"},
    {"sync_enrol_title", "Enrol this tablet", "Zarejestruj ten tablet"},
    {"sync_enrol_intro", "Ask your coordinator for the collector address and a one-time enrolment code.",
     "Poproś koordynatora o adres serwera i jednorazowy kod rejestracji."},
    {"sync_enrol", "Enrol this tablet", "Zarejestruj ten tablet"},
    {"sync_cancel", "Cancel", "Anuluj"},
    {"sync_usb_title", "Save to USB stick", "Zapisz na pendrive"},
    {"sync_usb_intro", "No connection? Save everything waiting to a file for the coordinator. It stays on this tablet too.",
     "Brak połączenia? Zapisz wszystko, co czeka, do pliku dla koordynatora. Zostaje też na tablecie."},
    {"sync_usb_folder", "Folder on the USB stick", "Folder na pendrive"},
    {"sync_usb_save", "Save to USB stick", "Zapisz na pendrive"},
    {"sync_usb_saved", "Saved:", "Zapisano:"},
    {"sync_safe", "Nothing is deleted from this tablet until the collector confirms it has it.",
     "Nic nie jest usuwane z tabletu, dopóki serwer nie potwierdzi odbioru."},
    // Sync results in plain sentences (syncwording.cpp).
    {"syncw_not_enrolled", "Not sent: this tablet is not enrolled with a collector yet.",
     "Nie wysłano: ten tablet nie jest jeszcze zarejestrowany na serwerze."},
    {"syncw_cancelled", "Sync stopped. Nothing was lost.", "Synchronizację przerwano. Nic nie zginęło."},
    {"syncw_no_connection", "Could not reach the collector. Check the internet connection and try again; nothing was lost.",
     "Nie udało się połączyć z serwerem. Sprawdź połączenie z internetem i spróbuj ponownie; nic nie zginęło."},
    {"syncw_failed", "Sync did not finish: %1. Nothing was lost.", "Synchronizacja nie została zakończona: %1. Nic nie zginęło."},
    {"syncw_nothing", "Nothing new to send.", "Nie ma nic nowego do wysłania."},
    {"syncw_sent_one", "Sent 1 interview or approach to the collector.", "Wysłano na serwer 1 wywiad lub podejście."},
    {"syncw_sent_many", "Sent %1 interviews and approaches to the collector.", "Wysłano na serwer wywiady i podejścia: %1."},
    {"syncw_duplicates", "The collector already had %1 of them (from a USB stick).", "Serwer miał już część z nich (z pendrive): %1."},
    {"syncw_conflicts", "Your coordinator will check %1 of them.", "Koordynator sprawdzi część z nich: %1."},
    {"syncw_rejected", "The collector did not accept %1; they stay on this tablet. Tell your coordinator.",
     "Serwer nie przyjął części z nich: %1; zostają na tablecie. Powiadom koordynatora."},
    {"syncw_new_forms_one", "1 new questionnaire is ready to use.", "Nowe kwestionariusze gotowe do użycia: 1."},
    {"syncw_new_forms_many", "%1 new questionnaires are ready to use.", "Nowe kwestionariusze gotowe do użycia: %1."},
    {"syncw_form_problems", "Some questionnaires could not be saved (%1). Tell your coordinator.",
     "Nie udało się zapisać części kwestionariuszy (%1). Powiadom koordynatora."},
    {"syncw_waiting", "Still waiting to be sent: %1.", "Nadal czeka na wysłanie: %1."},
    {"syncw_all_there", "Everything is with the collector.", "Wszystko jest już na serwerze."},
    // Settings
    {"text_size", "Text size", "Rozmiar tekstu"},
    {"contrast", "Contrast", "Kontrast"},
    {"contrast_normal", "Normal", "Normalny"},
    {"contrast_high", "High contrast: white on black", "Wysoki kontrast: biały na czarnym"},
    {"contrast_light", "High contrast: black on white (sunlight)", "Wysoki kontrast: czarny na białym (słońce)"},
    {"interface_language", "Interface language", "Język interfejsu"},
    {"data_folder", "Data:", "Dane:"},
    {"forms_folder", "Questionnaires:", "Kwestionariusze:"},
    {"device_id", "Device ID:", "Identyfikator urządzenia:"},
};

} // namespace

QStringList UiStrings::languages()
{
    return {QStringLiteral("en"), QStringLiteral("pl")};
}

QVariantMap UiStrings::table(const QString &language)
{
    const bool pl = language == QLatin1String("pl");
    QVariantMap map;
    for (const Row &r : kRows)
        map.insert(QString::fromUtf8(r.id), QString::fromUtf8(pl && *r.pl ? r.pl : r.en));
    return map;
}

QString UiStrings::text(const QString &id, const QString &language)
{
    const bool pl = language == QLatin1String("pl");
    for (const Row &r : kRows) {
        if (id == QLatin1String(r.id))
            return QString::fromUtf8(pl && *r.pl ? r.pl : r.en);
    }
    return id;
}

} // namespace kerbside
