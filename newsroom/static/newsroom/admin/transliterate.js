'use strict';
// Django's URLify drops Kazakh letters and spells Russian differently from the
// server. Transliterate first with the server's own table (carried by the slug
// widget's data-transliteration attribute), then let URLify do the rest.
// The table is looked up on each call: this script loads in <head>, before the form.
{
    const djangoURLify = window.URLify;
    window.URLify = function(text, maxLength, allowUnicode) {
        const source = document.querySelector('[data-transliteration]');
        if (source) {
            const table = JSON.parse(source.dataset.transliteration);
            text = Array.from(text.toLowerCase(), (ch) => table[ch] ?? ch).join('');
        }
        return djangoURLify(text, maxLength, allowUnicode);
    };
}
