from django.dispatch import Signal

# Sent with ``photo`` once the renditions it has are recorded (Photo.made_specs):
# pages that offer its renditions offer another set now.
renditions_recorded = Signal()
