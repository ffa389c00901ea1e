'use strict';
// "Insert a photo from the library" under the story's text editor. The photo
// is chosen in the admin's own lookup window and placed as a figure whose image
// carries the photo's id (data-file); pages draw it responsive, with its credit.
{
    const tools = document.getElementById('body-photo-tools');
    const attach = (editor, textarea) => {
        if (!tools || textarea.id !== 'id_body') {
            return;
        }
        const target = document.createElement('input');
        target.type = 'hidden';
        target.id = 'id_body_photo';
        const link = document.createElement('a');
        link.id = 'lookup_id_body_photo';
        link.className = 'related-lookup body-photo-button';
        link.href = tools.dataset.lookupUrl + '?_to_field=id';
        link.textContent = tools.dataset.label;
        textarea.closest('.form-row').append(target, link);
        django.jQuery(target).on('change', async () => {
            const url = tools.dataset.embedUrl.replace('/0/', '/' + target.value + '/');
            const response = await fetch(url, {credentials: 'same-origin'});
            if (!response.ok) {
                return;
            }
            const photo = await response.json();
            const figure = document.createElement('figure');
            const image = document.createElement('img');
            image.src = photo.src;
            image.alt = photo.alt;
            image.dataset.file = String(photo.id);
            const caption = document.createElement('figcaption');
            caption.textContent = photo.caption;
            figure.append(image, caption);
            editor.chain().focus().insertContent(figure.outerHTML).run();
            target.value = '';
        });
    };
    document.addEventListener('prose-editor:ready', (event) => {
        attach(event.detail.editor, event.detail.textarea);
    });
}
