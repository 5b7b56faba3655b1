"""What the agent says to a caller it cannot serve in English, in the caller's own language.

A caller whose language the recogniser detects, and which the council does not serve by phone, is
booked an interpreter callback (ADR 0092). Telling them so only in English fails the people it is
for, so the agent says it first in their language, then in English (for someone beside them who
speaks it), with espeak-ng's voice for that language on a SIP call and the platform's own voice on a
webhook call.

The sentences were written for Resident Hub (session 18), not by professional translators: a council
should have its translation service check them, or record its own prompts (``VOICE_PROMPTS_DIR``),
before relying on them. Languages not listed here (Punjabi, Gujarati, Tamil, Somali among the
languages a London borough hears) get the English message only: their espeak-ng voices are weak or
missing, and no sentence we could not vouch for is spoken.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    callback: str  # we will call you back with an interpreter
    key_number: str  # please key in your phone number, then press the hash key
    thanks: str  # thank you; we will call you back on (the digits follow)
    call_us: str  # sorry, we could not take a number; please call us again on (the digits follow)
    goodbye: str
    espeak_voice: str  # espeak-ng's voice for the language (SIP calls)
    say_language: str  # BCP 47 tag for the platform's <Say language=...> (webhook calls)


PHRASES: dict[str, Phrases] = {
    "cy": Phrases(
        "Byddwn yn eich ffonio yn ôl gyda chyfieithydd.",
        "Rhowch eich rhif ffôn ar y bysellbad, yna pwyswch yr allwedd hash.",
        "Diolch. Byddwn yn eich ffonio yn ôl ar y rhif hwn:",
        "Mae'n ddrwg gen i, ni allwn gymryd rhif. Ffoniwch ni eto ar",
        "Hwyl fawr.", "cy", "cy-GB",
    ),
    "pl": Phrases(
        "Oddzwonimy do Pana lub Pani z tłumaczem.",
        "Proszę wpisać swój numer telefonu na klawiaturze, a następnie nacisnąć krzyżyk.",
        "Dziękujemy. Oddzwonimy pod numer:",
        "Przepraszamy, nie udało się przyjąć numeru. Prosimy zadzwonić ponownie pod numer",
        "Do widzenia.", "pl", "pl-PL",
    ),
    "ro": Phrases(
        "Vă vom suna înapoi cu un interpret.",
        "Vă rugăm să introduceți numărul de telefon de la tastatură, apoi apăsați tasta diez.",
        "Vă mulțumim. Vă vom suna la numărul:",
        "Ne pare rău, nu am putut prelua un număr. Vă rugăm să ne sunați din nou la",
        "La revedere.", "ro", "ro-RO",
    ),
    "ur": Phrases(
        "ہم آپ کو ایک ترجمان کے ساتھ واپس کال کریں گے۔",
        "براہ کرم اپنا فون نمبر کی پیڈ پر درج کریں، پھر ہیش کا بٹن دبائیں۔",
        "شکریہ۔ ہم آپ کو اس نمبر پر کال کریں گے:",
        "معذرت، ہم نمبر نہیں لے سکے۔ براہ کرم ہمیں دوبارہ اس نمبر پر کال کریں:",
        "خدا حافظ۔", "ur", "ur-PK",
    ),
    "bn": Phrases(
        "আমরা একজন দোভাষীর সাথে আপনাকে আবার ফোন করব।",
        "অনুগ্রহ করে কিপ্যাডে আপনার ফোন নম্বর লিখুন, তারপর হ্যাশ বোতাম টিপুন।",
        "ধন্যবাদ। আমরা আপনাকে এই নম্বরে ফোন করব:",
        "দুঃখিত, আমরা নম্বরটি নিতে পারিনি। অনুগ্রহ করে আমাদের আবার এই নম্বরে ফোন করুন:",
        "বিদায়।", "bn", "bn-IN",
    ),
    "ar": Phrases(
        "سنعاود الاتصال بك مع مترجم.",
        "يرجى إدخال رقم هاتفك باستخدام لوحة المفاتيح، ثم الضغط على مفتاح المربع.",
        "شكراً لك. سنتصل بك على الرقم:",
        "عذراً، لم نتمكن من أخذ الرقم. يرجى الاتصال بنا مرة أخرى على الرقم:",
        "مع السلامة.", "ar", "arb",
    ),
    "tr": Phrases(
        "Sizi bir tercümanla geri arayacağız.",
        "Lütfen telefon numaranızı tuşlayın, ardından kare tuşuna basın.",
        "Teşekkür ederiz. Sizi şu numaradan arayacağız:",
        "Üzgünüz, numaranızı alamadık. Lütfen bizi tekrar şu numaradan arayın:",
        "Hoşça kalın.", "tr", "tr-TR",
    ),
    "pt": Phrases(
        "Vamos ligar-lhe de volta com um intérprete.",
        "Por favor, marque o seu número de telefone no teclado e depois prima a tecla cardinal.",
        "Obrigado. Vamos ligar-lhe para o número:",
        "Lamentamos, não foi possível registar um número. Por favor, ligue-nos de novo para o número",
        "Adeus.", "pt", "pt-PT",
    ),
    "es": Phrases(
        "Le devolveremos la llamada con un intérprete.",
        "Por favor, marque su número de teléfono en el teclado y después pulse la tecla almohadilla.",
        "Gracias. Le llamaremos al número:",
        "Lo sentimos, no hemos podido tomar un número. Por favor, vuelva a llamarnos al",
        "Adiós.", "es", "es-ES",
    ),
    "fr": Phrases(
        "Nous vous rappellerons avec un interprète.",
        "Veuillez composer votre numéro de téléphone sur le clavier, puis appuyez sur la touche dièse.",
        "Merci. Nous vous rappellerons au numéro :",
        "Désolés, nous n'avons pas pu noter de numéro. Veuillez nous rappeler au",
        "Au revoir.", "fr-fr", "fr-FR",
    ),
    "it": Phrases(
        "La richiameremo con un interprete.",
        "Digiti il suo numero di telefono sulla tastiera, poi prema il tasto cancelletto.",
        "Grazie. La richiameremo al numero:",
        "Ci dispiace, non siamo riusciti a prendere un numero. La preghiamo di richiamarci al",
        "Arrivederci.", "it", "it-IT",
    ),
    "de": Phrases(
        "Wir rufen Sie mit einem Dolmetscher zurück.",
        "Bitte geben Sie Ihre Telefonnummer über die Tastatur ein und drücken Sie dann die Rautetaste.",
        "Danke. Wir rufen Sie unter dieser Nummer zurück:",
        "Leider konnten wir keine Nummer aufnehmen. Bitte rufen Sie uns wieder an unter",
        "Auf Wiederhören.", "de", "de-DE",
    ),
    "lt": Phrases(
        "Mes jums perskambinsime su vertėju.",
        "Prašome klaviatūra surinkti savo telefono numerį ir paspausti grotelių klavišą.",
        "Ačiū. Perskambinsime šiuo numeriu:",
        "Atsiprašome, nepavyko užrašyti numerio. Prašome paskambinti mums dar kartą numeriu",
        "Viso gero.", "lt", "lt-LT",
    ),
    "zh": Phrases(
        "我们会安排口译员给您回电。",
        "请用键盘输入您的电话号码，然后按井号键。",
        "谢谢。我们会拨打这个号码给您回电：",
        "抱歉，我们没能记下号码。请再拨打这个号码联系我们：",
        "再见。", "cmn", "cmn-CN",
    ),
    "fa": Phrases(
        "ما با یک مترجم با شما تماس خواهیم گرفت.",
        "لطفاً شماره تلفن خود را با صفحه کلید وارد کنید و سپس کلید مربع را فشار دهید.",
        "متشکریم. با این شماره با شما تماس می‌گیریم:",
        "متأسفیم، نتوانستیم شماره را ثبت کنیم. لطفاً دوباره با این شماره با ما تماس بگیرید:",
        "خداحافظ.", "fa", "fa-IR",
    ),
    "uk": Phrases(
        "Ми передзвонимо вам із перекладачем.",
        "Будь ласка, наберіть свій номер телефону на клавіатурі, а потім натисніть клавішу решітка.",
        "Дякуємо. Ми передзвонимо вам за номером:",
        "Вибачте, нам не вдалося записати номер. Будь ласка, зателефонуйте нам ще раз за номером",
        "До побачення.", "uk", "uk-UA",
    ),
    "ru": Phrases(
        "Мы перезвоним вам с переводчиком.",
        "Пожалуйста, наберите свой номер телефона на клавиатуре, а затем нажмите клавишу решётка.",
        "Спасибо. Мы перезвоним вам по номеру:",
        "Извините, нам не удалось записать номер. Пожалуйста, позвоните нам ещё раз по номеру",
        "До свидания.", "ru", "ru-RU",
    ),
    "hi": Phrases(
        "हम आपको एक दुभाषिए के साथ वापस कॉल करेंगे।",
        "कृपया कीपैड पर अपना फ़ोन नंबर दर्ज करें, फिर हैश बटन दबाएँ।",
        "धन्यवाद। हम आपको इस नंबर पर कॉल करेंगे:",
        "क्षमा करें, हम नंबर नहीं ले पाए। कृपया हमें इस नंबर पर फिर से कॉल करें:",
        "नमस्ते।", "hi", "hi-IN",
    ),
    "bg": Phrases(
        "Ще ви се обадим с преводач.",
        "Моля, въведете телефонния си номер от клавиатурата и натиснете клавиша диез.",
        "Благодарим ви. Ще ви се обадим на номер:",
        "Съжаляваме, не успяхме да запишем номер. Моля, обадете ни се отново на номер",
        "Довиждане.", "bg", "bg-BG",
    ),
}  # fmt: skip


def phrases(language: str | None) -> Phrases | None:
    return PHRASES.get((language or "").split("-")[0].lower())


def digits(number: str) -> str:
    """ "0800 111 999" -> "0 8 0 0, 1 1 1, 9 9 9": numerals, so each language's voice says its own
    digit names."""
    return ", ".join(" ".join(ch for ch in group if ch.isdigit()) for group in number.split())


# Digit words 0-9 in the languages above written in Latin script, for a number an interpreter caller says
# in their own language (the recogniser writes what it hears in that language). Only the caller's own
# language is read beside English: "um" is a Portuguese one and an English hesitation.
DIGIT_WORDS: dict[str, tuple[str, ...]] = {
    "cy": ("dim", "un", "dau", "tri", "pedwar", "pump", "chwech", "saith", "wyth", "naw"),
    "pl": ("zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"),
    "ro": ("zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"),
    "tr": ("sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"),
    "pt": ("zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "it": ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
    "de": ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    "lt": ("nulis", "vienas", "du", "trys", "keturi", "penki", "šeši", "septyni", "aštuoni", "devyni"),
}


def digit_words(language: str | None) -> dict[str, str]:
    """{"siedem": "7", ...} for ``language``; empty for English and languages not listed."""
    words = DIGIT_WORDS.get((language or "").split("-")[0].lower(), ())
    return {word: str(digit) for digit, word in enumerate(words)}
