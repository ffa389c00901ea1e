'use strict';
// The photo desk in the admin. Both parts are conveniences: without JavaScript
// the file box and the focal point's number boxes do the same work.
{
    // Drop files anywhere on the zone to put them into the (multiple) file box.
    const setUpDropZone = (zone) => {
        const input = zone.querySelector('input[type=file]');
        const list = zone.querySelector('[data-drop-zone-files]');
        const show = () => {
            list.textContent = Array.from(input.files, (file) => file.name).join(', ');
        };
        zone.addEventListener('dragover', (event) => {
            event.preventDefault();
            zone.classList.add('is-dragging');
        });
        zone.addEventListener('dragleave', () => zone.classList.remove('is-dragging'));
        zone.addEventListener('drop', (event) => {
            event.preventDefault();
            zone.classList.remove('is-dragging');
            input.files = event.dataTransfer.files;
            show();
        });
        input.addEventListener('change', show);
    };

    // Click on the preview to set the focal point that every crop keeps.
    const setUpFocalPoint = (picker) => {
        const x = document.getElementById('id_focal_x');
        const y = document.getElementById('id_focal_y');
        const marker = picker.querySelector('.focal-point-marker');
        if (!x || !y) {
            return;
        }
        const place = () => {
            marker.style.left = (parseFloat(x.value) * 100) + '%';
            marker.style.top = (parseFloat(y.value) * 100) + '%';
        };
        picker.addEventListener('click', (event) => {
            const box = picker.getBoundingClientRect();
            x.value = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1).toFixed(3);
            y.value = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1).toFixed(3);
            place();
        });
        x.addEventListener('input', place);
        y.addEventListener('input', place);
        place();
    };

    const start = () => {
        document.querySelectorAll('[data-drop-zone]').forEach(setUpDropZone);
        document.querySelectorAll('.focal-point-picker').forEach(setUpFocalPoint);
    };
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}
