'use strict';
// Photo lookups with thumbnails (media.forms.PhotoPicker): in the list of answers
// and for the chosen photo, so that photos are told apart by sight. Django starts
// every lookup with its own options; a photo lookup gets the same ones and two
// templates. Text goes in as text, never as markup.
{
    const withThumbnail = (data, src) => {
        if (!src) {
            return data.text;
        }
        const row = document.createElement('span');
        row.className = 'photo-choice';
        const image = document.createElement('img');
        image.src = src;
        image.alt = '';
        image.loading = 'lazy';
        const text = document.createElement('span');
        text.textContent = data.text;
        row.append(image, text);
        return django.jQuery(row);
    };

    const startWithThumbnails = (element) => {
        django.jQuery(element).select2({
            // As Django's autocomplete.js asks.
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                }),
            },
            templateResult: (data) => withThumbnail(data, data.thumbnail),
            templateSelection: (data) =>
                withThumbnail(data, data.thumbnail || data.element?.dataset.thumbnail),
        });
    };

    // The admin's scripts may come after this one; Django starts its lookups once
    // the page is read (a moment later, jQuery's ready handlers being asynchronous),
    // and each later one (a new inline row) through the same function.
    window.addEventListener('DOMContentLoaded', () => {
        const $ = django.jQuery;
        const start = $.fn.djangoAdminSelect2;
        $.fn.djangoAdminSelect2 = function() {
            start.call(this.not('[data-thumbnails]'));
            this.filter('[data-thumbnails]').each((i, element) => startWithThumbnails(element));
            return this;
        };
        // Any already started by Django's own options start again with thumbnails.
        $('.admin-autocomplete[data-thumbnails]').not('[name*=__prefix__]').each((i, element) => {
            if ($(element).data('select2')) {
                startWithThumbnails(element);
            }
        });
    });
}
