"""The shape of every content file, written once.

The validator checks files against these models and `notices schema` writes the JSON
Schema files that editors use from the same models, so the two can never disagree.
References to register entries are checked here too, against the ids passed in the
validation context, so an unknown id is reported where it is written.

The models live in modules by subject: `fields` (types, validators, references), `registers`
(the registers and site.yaml), `notices`, with `answers` (transfers, automated decisions, paired
conditions), `retention`, `policy_document` and `young_people`. Import them from here.
"""

from .answers import (
    AutomatedDecisions as AutomatedDecisions,
)
from .answers import (
    Condition as Condition,
)
from .answers import (
    CriminalCondition as CriminalCondition,
)
from .answers import (
    Transfer as Transfer,
)
from .answers import (
    Transfers as Transfers,
)
from .fields import (
    ID_PATTERN as ID_PATTERN,
)
from .fields import (
    REGISTER_FILES as REGISTER_FILES,
)
from .fields import (
    ActRef as ActRef,
)
from .fields import (
    Article6Ref as Article6Ref,
)
from .fields import (
    Article9Ref as Article9Ref,
)
from .fields import (
    Article10Ref as Article10Ref,
)
from .fields import (
    ContactRef as ContactRef,
)
from .fields import (
    CriminalRef as CriminalRef,
)
from .fields import (
    DataSubjectRef as DataSubjectRef,
)
from .fields import (
    Email as Email,
)
from .fields import (
    Id as Id,
)
from .fields import (
    Markdown as Markdown,
)
from .fields import (
    Model as Model,
)
from .fields import (
    OrganisationRef as OrganisationRef,
)
from .fields import (
    Phone as Phone,
)
from .fields import (
    Schedule1Ref as Schedule1Ref,
)
from .fields import (
    Text as Text,
)
from .fields import (
    Url as Url,
)
from .fields import (
    is_markdown as is_markdown,
)
from .fields import (
    markdown_text as markdown_text,
)
from .fields import (
    reference as reference,
)
from .notices import (
    NOTICE_MODELS as NOTICE_MODELS,
)
from .notices import (
    Change as Change,
)
from .notices import (
    DataItem as DataItem,
)
from .notices import (
    DataTier as DataTier,
)
from .notices import (
    InformationCollected as InformationCollected,
)
from .notices import (
    LawfulBasisSection as LawfulBasisSection,
)
from .notices import (
    LegislationSection as LegislationSection,
)
from .notices import (
    MainNotice as MainNotice,
)
from .notices import (
    MainSection as MainSection,
)
from .notices import (
    NotApplicableItem as NotApplicableItem,
)
from .notices import (
    NoticeBase as NoticeBase,
)
from .notices import (
    Purpose as Purpose,
)
from .notices import (
    Purposes as Purposes,
)
from .notices import (
    Recipient as Recipient,
)
from .notices import (
    Right as Right,
)
from .notices import (
    Rights as Rights,
)
from .notices import (
    RightsList as RightsList,
)
from .notices import (
    ServiceNotice as ServiceNotice,
)
from .notices import (
    Sharing as Sharing,
)
from .notices import (
    Source as Source,
)
from .notices import (
    Sources as Sources,
)
from .notices import (
    UsedBy as UsedBy,
)
from .notices import (
    expand_shorthand as expand_shorthand,
)
from .policy_document import (
    PRINCIPLES as PRINCIPLES,
)
from .policy_document import (
    PolicyDocument as PolicyDocument,
)
from .registers import (
    AccessibilityStatement as AccessibilityStatement,
)
from .registers import (
    Act as Act,
)
from .registers import (
    Contact as Contact,
)
from .registers import (
    DataSubject as DataSubject,
)
from .registers import (
    DataSubjectsFile as DataSubjectsFile,
)
from .registers import (
    LawfulBasesFile as LawfulBasesFile,
)
from .registers import (
    LawfulBasis as LawfulBasis,
)
from .registers import (
    LegislationFile as LegislationFile,
)
from .registers import (
    Organisation as Organisation,
)
from .registers import (
    OrganisationsFile as OrganisationsFile,
)
from .registers import (
    SiteFile as SiteFile,
)
from .retention import (
    UNION_TAGS as UNION_TAGS,
)
from .retention import (
    RetentionPeriod as RetentionPeriod,
)
from .retention import (
    RetentionSpan as RetentionSpan,
)
