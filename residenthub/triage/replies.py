"""What the front door says back: the phone prompt, and the honest note in the resident's own
language when a message could not be translated.

The notes below were written for the project and should be checked by the council's translators
before use; a language without a note gets the English text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Outcome, TriageRecord
from .urgency import Flag, contacts_for

# "We have your message. We cannot translate it automatically yet, so a member of staff will read it
# and contact you. If anyone is in danger, call 999."
TRANSLATION_NOTES = {
    "pl": "Otrzymaliśmy Twoją wiadomość. Nie możemy jej teraz automatycznie przetłumaczyć, więc przeczyta "
    "ją pracownik urzędu i skontaktuje się z Tobą. Jeśli komuś grozi niebezpieczeństwo, zadzwoń pod 999.",
    "ro": "Am primit mesajul dumneavoastră. Nu îl putem traduce automat acum, așa că un angajat îl va citi "
    "și vă va contacta. Dacă cineva este în pericol, sunați la 999.",
    "es": "Hemos recibido su mensaje. No podemos traducirlo automáticamente ahora, así que un empleado lo "
    "leerá y se pondrá en contacto con usted. Si alguien está en peligro, llame al 999.",
    "pt": "Recebemos a sua mensagem. Não a podemos traduzir automaticamente agora, por isso um funcionário "
    "vai lê-la e entrar em contacto consigo. Se alguém estiver em perigo, ligue para o 999.",
    "fr": "Nous avons bien reçu votre message. Nous ne pouvons pas le traduire automatiquement pour "
    "l'instant : un agent va le lire et vous contacter. Si quelqu'un est en danger, appelez le 999.",
    "it": "Abbiamo ricevuto il suo messaggio. Non possiamo tradurlo automaticamente ora, quindi un "
    "impiegato lo leggerà e la contatterà. Se qualcuno è in pericolo, chiami il 999.",
    "cy": "Rydym wedi cael eich neges. Ni allwn ei chyfieithu'n awtomatig ar hyn o bryd, felly bydd aelod "
    "o staff yn ei darllen ac yn cysylltu â chi. Os oes unrhyw un mewn perygl, ffoniwch 999.",
    "lt": "Gavome jūsų žinutę. Dabar negalime jos automatiškai išversti, todėl darbuotojas ją perskaitys "
    "ir su jumis susisieks. Jei kam nors gresia pavojus, skambinkite 999.",
    "tr": "Mesajınızı aldık. Şu anda otomatik olarak çeviremiyoruz; bir personelimiz okuyup sizinle "
    "iletişime geçecek. Birisi tehlikedeyse 999'u arayın.",
    "ar": "لقد استلمنا رسالتك. لا يمكننا ترجمتها تلقائيًا الآن، لذلك سيقرؤها أحد الموظفين ويتواصل معك. "
    "إذا كان أي شخص في خطر، اتصل بالرقم 999.",
}


def translation_note(code: str) -> str:
    return TRANSLATION_NOTES.get(code, "")


def _spoken_number(number: str) -> str:
    return " ".join(number.replace(" ", ""))


def phone_reply(rec: TriageRecord, result) -> dict:
    """The JSON answer to the telephony platform: the triage result and what to say next.

    ``action`` tells the platform what to do: ``emergency`` (read the prompt, offer to transfer),
    ``confirm_service`` (ask a yes/no question), ``choose_service`` (read the options),
    ``transfer`` (to a person), ``ask_again`` (nothing usable was heard), ``not_council``.
    """
    from .actions import suggested_services

    flags = [Flag(f["category"], f.get("phrase", ""), f.get("kind", "urgent")) for f in rec.flags]
    contacts = contacts_for(flags) if rec.urgent else []
    services = suggested_services(rec)
    transfer_to = ""
    if rec.urgent and any(f.kind == "urgent" for f in flags):
        numbers = ", ".join(f"{c.name} on {_spoken_number(c.number)}" for c in contacts)
        prompt = _("This sounds urgent. If anyone is in danger now, hang up and call 999. ") + _(
            "You can also call %(numbers)s. I am putting you through to someone now."
        ) % {"numbers": numbers}
        action = "emergency"
        transfer_to = settings.OUT_OF_HOURS_PHONE
        if any(f.category == "gas" for f in flags):
            transfer_to = "0800 111 999"
    elif rec.outcome == Outcome.EMPTY:
        prompt = _("Sorry, I did not catch that. Please tell me in a few words what you need help with.")
        action = "ask_again"
    elif rec.outcome == Outcome.TRANSLATION_NEEDED:
        prompt = _("Thank you. I am putting you through to someone who can help.")
        action = "transfer"
        transfer_to = settings.COUNCIL_PHONE
    elif rec.outcome == Outcome.NOT_COUNCIL:
        prompt = _(
            "I don't think this is something the council deals with. "
            "Say 'person' to speak to someone, or tell me again what you need."
        )
        action = "not_council"
    elif rec.outcome == Outcome.SUGGESTED and services:
        prompt = _("It sounds like you want to: %(service)s. Is that right? Please say yes or no.") % {
            "service": services[0][0].name
        }
        action = "confirm_service"
    elif services:
        names = "; ".join(s.name for s, _c, _d in services[:3])
        prompt = _("Is it one of these: %(names)s? Or say 'person' to speak to someone.") % {"names": names}
        action = "choose_service"
    else:
        prompt = _("Thank you. I am putting you through to someone who can help.")
        action = "transfer"
        transfer_to = settings.COUNCIL_PHONE
    return {
        "record": str(rec.token),
        "call_id": rec.call_id,
        "triage": {
            **result.as_dict(),
            "services": [
                {
                    "code": service.code,
                    "name": service.name,
                    "lgsl": service.lgsl_id,
                    "confidence": round(confidence, 4),
                }
                for service, confidence, _d in services
            ],
        },
        "human_queue": rec.needs_human,
        "next_prompt": prompt,
        "action": action,
        "transfer_to": transfer_to,
        "emergency_contacts": [{"name": c.name, "number": c.number} for c in contacts],
        "answer": phone_answer(rec),
    }


def phone_answer(rec: TriageRecord) -> dict | None:
    """The passage from the council's pages that answers the caller's question, to read out or
    text to them, with its link; None when they asked nothing or the pages have no answer."""
    if not rec.answer.get("found"):
        return None
    return {"text": rec.answer["snippet"], "url": rec.answer["url"], "title": rec.answer["title"]}
