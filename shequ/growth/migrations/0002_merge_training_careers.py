# The training and careers halves of the growth app were built side by side; this joins
# their two first migrations into one history.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_careers"), ("growth", "0001_training_initial")]
    operations = []
