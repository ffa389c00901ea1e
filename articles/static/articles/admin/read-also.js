'use strict';
// «Read also» offers published stories of the story's own edition, never the story
// itself: its lookup is told the edition (the language box, when the form has one,
// as it reads now; a working copy's is its story's) and the story. The server
// checks the same again on saving (ArticleForm._clean_read_also).
// The admin's scripts may come after this one: it waits for them.
window.addEventListener('DOMContentLoaded', () => {
    django.jQuery.ajaxPrefilter((options) => {
        if (typeof options.data !== 'string') {
            return;
        }
        const params = new URLSearchParams(options.data);
        const field = document.getElementById('id_related_stories');
        if (params.get('field_name') !== 'related_stories' || !field) {
            return;
        }
        const language = document.getElementById('id_language')?.value || field.dataset.language;
        if (language) {
            params.set('language', language);
        }
        if (field.dataset.story) {
            params.set('story', field.dataset.story);
        }
        options.data = params.toString();
    });
});
