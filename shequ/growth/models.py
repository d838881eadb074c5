"""Growth and careers: the training and careers subpackages each own their models."""

from shequ.growth.training.models import *  # noqa
from shequ.growth.careers.models import *  # noqa
